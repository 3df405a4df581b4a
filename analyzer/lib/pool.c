/*
 * pool.c - worker threads.
 *
 * Two shapes of parallel work, both deterministic in what they produce:
 *
 *  - az_parallel() splits [0, n) into chunks that threads claim from an
 *    atomic counter; each chunk writes only its own slots (or its own
 *    per-chunk output, joined in chunk order afterwards), so the result
 *    does not depend on which thread ran which chunk;
 *  - az_pool is a bounded queue of ingest jobs fed by the reading thread.
 *    The corpus sorts its documents when it is finished, so the order in
 *    which workers complete jobs does not show in any output. The bound
 *    (jobs and bytes in flight) keeps a fast reader from holding the input
 *    in memory while the workers clean it.
 *
 * Each worker owns an az_ctx (a context is one thread's: it holds scratch
 * space and the last error) made from the caller's options.
 */
#include "az_priv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned online;
static pthread_once_t online_once = PTHREAD_ONCE_INIT;

static void count_online(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    online = n < 1 ? 1 : n > AZ_MAX_THREADS ? AZ_MAX_THREADS : (unsigned)n;
}

unsigned az_threads(const az_options *o)
{
    if (o->threads)
        return o->threads > AZ_MAX_THREADS ? AZ_MAX_THREADS : o->threads;
    /* Counted once: glibc reads sysfs for it (an open, a read and a
     * close), and the reader asked for every record of a million, a
     * seventh of its thread's time. */
    pthread_once(&online_once, count_online);
    return online;
}

/* ---- parallel loop ---- */

typedef struct loop {
    az_range_fn fn;
    void *user;
    size_t n, chunk;
    atomic_size_t next;
    atomic_int status;
} loop;

typedef struct loop_worker {
    loop *l;
    unsigned id;
} loop_worker;

static void *loop_main(void *arg)
{
    loop_worker *w = arg;
    loop *l = w->l;
    for (;;) {
        if (atomic_load(&l->status) != AZ_OK)
            break;
        size_t begin = atomic_fetch_add(&l->next, l->chunk);
        if (begin >= l->n)
            break;
        size_t end = l->n - begin < l->chunk ? l->n : begin + l->chunk;
        az_status st = l->fn(l->user, w->id, begin, end);
        if (st != AZ_OK) {
            int ok = AZ_OK;
            atomic_compare_exchange_strong(&l->status, &ok, (int)st);
        }
    }
    return NULL;
}

az_status az_parallel(unsigned threads, size_t n, size_t chunk,
                      az_range_fn fn, void *user)
{
    if (chunk == 0)
        chunk = 1;
    if (threads <= 1 || n <= chunk)
        return n ? fn(user, 0, 0, n) : AZ_OK;
    loop l = {.fn = fn, .user = user, .n = n, .chunk = chunk};
    atomic_init(&l.next, 0);
    atomic_init(&l.status, AZ_OK);
    pthread_t tid[AZ_MAX_THREADS];
    loop_worker w[AZ_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 1; t < threads && t < AZ_MAX_THREADS; t++) {
        w[t] = (loop_worker){&l, t};
        if (pthread_create(&tid[t], NULL, loop_main, &w[t]) != 0)
            break; /* fewer threads: the same work, done by the rest */
        started = t;
    }
    w[0] = (loop_worker){&l, 0};
    loop_main(&w[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return (az_status)atomic_load(&l.status);
}

/* ---- job queue ---- */

typedef struct job {
    az_job_fn fn;
    void *arg;
    size_t bytes;
} job;

struct az_pool {
    pthread_mutex_t lock;
    pthread_cond_t can_take, can_put, idle;
    job *q;              /* ring of cap jobs */
    size_t cap, head, count;
    size_t bytes, max_bytes;
    unsigned busy;       /* workers running a job */
    bool stop;
    unsigned nthreads;
    pthread_t tid[AZ_MAX_THREADS];
    az_ctx *ctx[AZ_MAX_THREADS];
};

static void *pool_main(void *arg)
{
    void **a = arg;
    az_pool *p = a[0];
    az_ctx *ctx = a[1];
    free(a);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->count == 0 && !p->stop)
            pthread_cond_wait(&p->can_take, &p->lock);
        if (p->count == 0)
            break;
        job j = p->q[p->head];
        p->head = (p->head + 1) % p->cap;
        p->count--;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        j.fn(ctx, j.arg);
        pthread_mutex_lock(&p->lock);
        p->bytes -= j.bytes;
        p->busy--;
        pthread_cond_signal(&p->can_put);
        if (p->count == 0 && p->busy == 0)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

az_status az_pool_new(az_pool **out, const az_options *opt, unsigned threads,
                      size_t max_bytes)
{
    *out = NULL;
    az_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return AZ_ENOMEM;
    if (threads > AZ_MAX_THREADS)
        threads = AZ_MAX_THREADS;
    p->cap = 16 * (size_t)threads;
    p->max_bytes = max_bytes;
    p->q = malloc(p->cap * sizeof(*p->q));
    if (!p->q) {
        free(p);
        return AZ_ENOMEM;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->can_take, NULL);
    pthread_cond_init(&p->can_put, NULL);
    pthread_cond_init(&p->idle, NULL);
    for (unsigned t = 0; t < threads; t++) {
        void **arg = malloc(2 * sizeof(*arg));
        if (!arg || az_ctx_new(&p->ctx[t], opt) != AZ_OK) {
            free(arg);
            break;
        }
        arg[0] = p;
        arg[1] = p->ctx[t];
        if (pthread_create(&p->tid[t], NULL, pool_main, arg) != 0) {
            free(arg);
            az_ctx_free(p->ctx[t]);
            p->ctx[t] = NULL;
            break;
        }
        p->nthreads++;
    }
    if (p->nthreads == 0) {
        az_pool_free(p);
        return AZ_ENOMEM;
    }
    *out = p;
    return AZ_OK;
}

void az_pool_submit(az_pool *p, az_job_fn fn, void *arg, size_t bytes)
{
    pthread_mutex_lock(&p->lock);
    /* One job larger than the bound still runs, alone. */
    while (p->count == p->cap ||
           (p->count + p->busy > 0 && p->bytes + bytes > p->max_bytes))
        pthread_cond_wait(&p->can_put, &p->lock);
    p->q[(p->head + p->count) % p->cap] = (job){fn, arg, bytes};
    p->count++;
    p->bytes += bytes;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->lock);
}

void az_pool_wait(az_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->count > 0 || p->busy > 0)
        pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

void az_pool_free(az_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->can_take);
    pthread_mutex_unlock(&p->lock);
    for (unsigned t = 0; t < p->nthreads; t++)
        pthread_join(p->tid[t], NULL);
    for (unsigned t = 0; t < AZ_MAX_THREADS; t++)
        az_ctx_free(p->ctx[t]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->can_take);
    pthread_cond_destroy(&p->can_put);
    pthread_cond_destroy(&p->idle);
    free(p->q);
    free(p);
}
