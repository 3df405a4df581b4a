/*
 * mpi.c - the exchanges between the ranks of a distributed run.
 *
 * The rest of the library sees four collective operations and never an MPI
 * type, so it builds the same without Open MPI (meson option `mpi`): then
 * there is one rank and an exchange is a copy. Every function here is
 * collective: all ranks call it, in the same order, from their main thread
 * (MPI_THREAD_FUNNELED).
 *
 * An exchange is point to point, each peer's bytes in messages of at most
 * MSG_BYTES (MPI counts are ints, and a million articles make exchanges of
 * several GB).
 */
#include "az_priv.h"

#include <stdlib.h>
#include <string.h>

#if AZ_HAVE_MPI
#include <mpi.h>
#endif

static int g_rank = 0, g_size = 1;

int az_mpi_available(void)
{
    return AZ_HAVE_MPI;
}

int az_mpi_rank(void)
{
    return g_rank;
}

int az_mpi_size(void)
{
    return g_size;
}

#if AZ_HAVE_MPI

static bool g_inited = false; /* MPI_Init was ours: so is MPI_Finalize */

az_status az_mpi_init(int *argc, char ***argv)
{
    int provided, inited = 0;
    MPI_Initialized(&inited);
    if (!inited &&
        MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return AZ_EINVAL;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_inited = !inited; /* finalize only what we started */
    return AZ_OK;
}

void az_mpi_finalize(void)
{
    if (g_inited)
        MPI_Finalize();
    g_inited = false;
    g_rank = 0;
    g_size = 1;
}

void az_mpi_abort(int code)
{
    if (g_size > 1)
        MPI_Abort(MPI_COMM_WORLD, code);
}

/* Messages of at most this many bytes: MPI counts are ints. */
#define MSG_BYTES ((size_t)1 << 30)

static size_t nmsgs(uint64_t bytes)
{
    return (size_t)((bytes + MSG_BYTES - 1) / MSG_BYTES);
}

az_status az_mpi_exchange(const az_buf *send, az_buf *recv, size_t *from)
{
    int n = g_size;
    uint64_t *cnt = calloc(2 * (size_t)n, sizeof(*cnt));
    size_t *pos = calloc((size_t)n + 1, sizeof(*pos));
    if (!cnt || !pos) { /* a few bytes a rank: nothing sensible is left */
        az_mpi_abort(2);
        free(cnt);
        free(pos);
        return AZ_ENOMEM;
    }
    for (int d = 0; d < n; d++)
        cnt[d] = send[d].len;
    MPI_Alltoall(cnt, 1, MPI_UINT64_T, cnt + n, 1, MPI_UINT64_T, MPI_COMM_WORLD);
    size_t msgs = 0;
    for (int s = 0; s < n; s++) {
        pos[s + 1] = pos[s] + cnt[n + s];
        if (s != g_rank)
            msgs += nmsgs(cnt[s]) + nmsgs(cnt[n + s]);
    }
    recv->len = 0;
    MPI_Request *req = malloc((msgs ? msgs : 1) * sizeof(*req));
    az_status st = req && az_buf_grow(recv, pos[n] + 1) == AZ_OK ? AZ_OK : AZ_ENOMEM;
    /* A rank short of memory says so before any message, so that all stop
     * together instead of waiting for it. */
    st = az_mpi_agree(st);
    size_t k = 0;
    /* Straight from each send buffer into its place: no staging copy,
     * whose fresh pages cost more than the transfer on a VM. */
    for (int s = 0; st == AZ_OK && s < n; s++) {
        size_t m = nmsgs(cnt[n + s]);
        for (size_t i = 0; s != g_rank && i < m; i++) {
            size_t off = i * MSG_BYTES, len = cnt[n + s] - off < MSG_BYTES
                                                  ? cnt[n + s] - off : MSG_BYTES;
            MPI_Irecv(recv->ptr + pos[s] + off, (int)len, MPI_BYTE, s, (int)i,
                      MPI_COMM_WORLD, &req[k++]);
        }
    }
    for (int d = 0; st == AZ_OK && d < n; d++) {
        size_t m = nmsgs(cnt[d]);
        for (size_t i = 0; d != g_rank && i < m; i++) {
            size_t off = i * MSG_BYTES, len = cnt[d] - off < MSG_BYTES
                                                  ? cnt[d] - off : MSG_BYTES;
            MPI_Isend(send[d].ptr + off, (int)len, MPI_BYTE, d, (int)i,
                      MPI_COMM_WORLD, &req[k++]);
        }
    }
    if (st == AZ_OK && cnt[g_rank])
        memcpy(recv->ptr + pos[g_rank], send[g_rank].ptr, cnt[g_rank]);
    if (st == AZ_OK)
        MPI_Waitall((int)k, req, MPI_STATUSES_IGNORE);
    if (st == AZ_OK) {
        recv->len = pos[n];
        if (from)
            memcpy(from, pos, ((size_t)n + 1) * sizeof(*from));
    }
    free(req);
    free(cnt);
    free(pos);
    return st;
}

az_status az_mpi_agree(az_status st)
{
    if (g_size == 1)
        return st;
    int v = st;
    /* Status codes are negative: the minimum is a failure if any rank
     * failed. */
    MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return (az_status)v;
}

void az_mpi_sum(uint64_t *v, size_t n)
{
    if (g_size > 1 && n)
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

#else /* one process */

az_status az_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return AZ_EINVAL;
}

void az_mpi_finalize(void) {}

void az_mpi_abort(int code)
{
    (void)code;
}

az_status az_mpi_exchange(const az_buf *send, az_buf *recv, size_t *from)
{
    recv->len = 0;
    if (az_buf_grow(recv, send[0].len + 1) != AZ_OK)
        return AZ_ENOMEM;
    if (send[0].len)
        memcpy(recv->ptr, send[0].ptr, send[0].len);
    recv->len = send[0].len;
    if (from) {
        from[0] = 0;
        from[1] = recv->len;
    }
    return AZ_OK;
}

az_status az_mpi_agree(az_status st)
{
    return st;
}

void az_mpi_sum(uint64_t *v, size_t n)
{
    (void)v;
    (void)n;
}

#endif

az_status az_mpi_allgather(const void *p, size_t len, az_buf *recv, size_t *from)
{
    /* The same bytes to every rank: each destination's buffer points at
     * them (an exchange only reads its send side). */
    az_buf *send = calloc((size_t)g_size, sizeof(*send));
    if (!send) {
        az_mpi_abort(2);
        return AZ_ENOMEM;
    }
    for (int d = 0; d < g_size; d++)
        send[d] = (az_buf){(char *)p, len, len};
    az_status st = az_mpi_exchange(send, recv, from);
    free(send);
    return st;
}
