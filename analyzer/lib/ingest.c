/*
 * ingest.c - inputs to documents: files, directory trees, JSON Lines,
 * gzip, standard input, and the manifest.jsonl files that describe them.
 *
 * Every input is read through zlib's gzFile, which reads plain files as they
 * are, so ".gz" needs no separate path; only a whole named file that is not
 * gzip is read with plain read() calls (read_plain()). Reads are bounded: a
 * file or a JSON Lines record larger than max_doc_bytes is an input error,
 * found without holding more than the limit in memory.
 *
 * A directory walk visits entries in byte order of their names (so runs are
 * reproducible), skips hidden entries, and keeps a stack of the manifests
 * of the directories it is in; a file's metadata comes from the innermost
 * manifest that lists it. Manifest entries that name no file are reported.
 *
 * A distributed run (az_corpus_ranks() > 1) divides the inputs between the
 * ranks, which all walk the same paths: a file belongs to one rank, by a
 * hash of its path; the records of a JSON Lines file, which every rank
 * scans, to the ranks in turn by line. Faults of the walk itself
 * (directories, manifests, a JSON Lines file that cannot be read) are
 * recorded by rank 0 alone, so that each is listed once when the ranks'
 * documents and errors are put together (az_corpus_finish).
 */
/* struct dirent's d_type is a BSD and Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include "az_priv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#define MAX_DEPTH 64
#define CHUNK (64u * 1024u)

static const char *const meta_fields[AZ_META_COUNT] = {
    [AZ_META_OUTLET] = "outlet", [AZ_META_URL] = "url",
    [AZ_META_PUBLISHED] = "published", [AZ_META_TITLE] = "title",
    [AZ_META_AUTHOR] = "author",
};

typedef enum kind { K_SKIP, K_TEXT, K_HTML, K_JSONL } kind;

/* The input kind from a file name, looking through a ".gz" suffix. */
static kind kind_of(const char *name)
{
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
        n -= 3;
    static const struct { const char *ext; kind k; } exts[] = {
        {".txt", K_TEXT}, {".html", K_HTML}, {".htm", K_HTML},
        {".jsonl", K_JSONL}};
    for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
        size_t e = strlen(exts[i].ext);
        if (n > e && strncmp(name + n - e, exts[i].ext, e) == 0)
            return exts[i].k;
    }
    return K_SKIP;
}

/* ---- sharing out the inputs ---- */

static bool mine_file(const az_corpus *c, const char *path)
{
    unsigned n = az_corpus_ranks(c);
    return n == 1 || XXH3_64bits(path, strlen(path)) % n == az_corpus_rank(c);
}

static bool mine_line(const az_corpus *c, uint32_t line)
{
    unsigned n = az_corpus_ranks(c);
    return n == 1 || line % n == az_corpus_rank(c);
}

/* Whether this rank records the walk's own faults. */
static bool speaks(const az_corpus *c)
{
    return az_corpus_rank(c) == 0;
}

/* ---- reading ---- */

/* `report`: record a failure to open (a rank that is not to speak of it
 * stays silent). */
static gzFile open_input(az_corpus *c, const char *path, bool report)
{
    gzFile f;
    if (strcmp(path, "-") == 0) {
        int fd = dup(0);
        f = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (!f && fd >= 0)
            close(fd);
    } else {
        f = gzopen(path, "rb");
    }
    if (!f && report)
        az_corpus_add_error(c, path, 0, "cannot open: %s; skipped",
                            errno ? strerror(errno) : "out of memory");
    else
        gzbuffer(f, CHUNK);
    return f;
}

static void too_big(az_corpus *c, const char *path, size_t limit)
{
    az_corpus_add_error(c, path, 0, "file is larger than the limit of %zu "
                        "bytes (--max-doc-bytes); skipped", limit);
}

/* A regular file that does not start as gzip does, read whole into *b
 * with read(): zlib's buffers for each file (some 200 KB at the top of the
 * heap, handed back at its close) made a directory of 10,000 small
 * articles cost 16,000 brk calls and a fresh page at every touch, most of
 * reading it. A file found by the walk is opened by its name in its
 * directory (dir >= 0), not by its path: resolving each path from the
 * start again was a seventh of reading such a directory. Returns AZ_OK,
 * an error it recorded, or AZ_EINVAL when the file is for zlib to read
 * (gzip, or not a regular file). */
static az_status read_plain(az_corpus *c, const char *path, int dir,
                            const char *name, size_t limit, az_buf *b)
{
    int fd = dir >= 0 ? openat(dir, name, O_RDONLY | O_CLOEXEC)
                      : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return AZ_EINVAL; /* zlib opens it again and says why not */
    struct stat sb;
    az_status st = AZ_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return AZ_EINVAL;
    }
    /* Its size, and a byte to see the end by, or the limit and a byte. */
    size_t want = (uint64_t)sb.st_size < limit ? (size_t)sb.st_size + 1 : limit + 1;
    for (;;) {
        if (az_buf_grow(b, (b->len < want ? want - b->len : CHUNK) + 1) != AZ_OK) {
            st = AZ_ENOMEM;
            break;
        }
        /* No more than wanted: a file over the limit counts limit + 1
         * bytes read, whatever the buffer's room. */
        ssize_t n = read(fd, b->ptr + b->len,
                         b->len < want ? want - b->len : b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            az_corpus_add_error(c, path, 0, "read error: %s; skipped",
                                strerror(errno));
            st = AZ_EIO;
            break;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (b->len >= 2 && (unsigned char)b->ptr[0] == 0x1f &&
            (unsigned char)b->ptr[1] == 0x8b) {
            st = AZ_EINVAL;
            break;
        }
        if (b->len > limit) {
            too_big(c, path, limit);
            st = AZ_ETOOBIG;
            break;
        }
        /* All the size fstat() gave: a read to see the end would cost a
         * system call a file (more than the bytes, on this machine). What
         * is appended meanwhile is not read, as if it came a moment
         * later. A file of size 0 (/proc) is read to its end. */
        if (b->len == (size_t)sb.st_size)
            break;
    }
    close(fd);
    if (st == AZ_EINVAL)
        b->len = 0;
    return st;
}

/* Read all of `path` (decompressed) into *out, at most `limit` bytes;
 * dir and name as read_plain() takes them (-1, NULL: by its path).
 * Records an error and returns non-AZ_OK when it cannot. */
static az_status read_all(az_corpus *c, const char *path, int dir,
                          const char *name, size_t limit, char **out,
                          size_t *len, uint64_t *reread)
{
    *out = NULL;
    *len = 0;
    *reread = UINT64_MAX;
    az_buf b = AZ_BUF_INIT;
    az_status st = strcmp(path, "-") != 0 ? read_plain(c, path, dir, name, limit, &b)
                                          : AZ_EINVAL;
    if (st != AZ_EINVAL) {
        /* Plain bytes of a named file can be read again at an offset. */
        *reread = 0;
        az_corpus_note_bytes(c, b.len);
        if (st == AZ_OK && az_buf_cstr(&b) != AZ_OK)
            st = AZ_ENOMEM;
        if (st != AZ_OK) {
            az_buf_free(&b);
            *reread = UINT64_MAX;
            return st;
        }
        *out = b.ptr;
        *len = b.len;
        return AZ_OK;
    }
    gzFile f = open_input(c, path, true);
    if (!f) {
        az_buf_free(&b);
        return AZ_EIO;
    }
    st = AZ_OK;
    for (;;) {
        if (az_buf_grow(&b, CHUNK + 1) != AZ_OK) {
            st = AZ_ENOMEM;
            break;
        }
        int n = gzread(f, b.ptr + b.len, CHUNK);
        if (n < 0) {
            int err;
            az_corpus_add_error(c, path, 0, "read error: %s; skipped",
                                gzerror(f, &err));
            st = AZ_EIO;
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
        if (b.len > limit) {
            too_big(c, path, limit);
            st = AZ_ETOOBIG;
            break;
        }
    }
    /* Plain bytes of a named file can be read again at an offset. */
    if (strcmp(path, "-") != 0 && gzdirect(f))
        *reread = 0;
    gzclose(f);
    az_corpus_note_bytes(c, b.len);
    if (st != AZ_OK) {
        az_buf_free(&b);
        return st;
    }
    if (az_buf_cstr(&b) != AZ_OK) {
        az_buf_free(&b);
        return AZ_ENOMEM;
    }
    *out = b.ptr;
    *len = b.len;
    return AZ_OK;
}

/* A buffered line reader over a gzFile that never holds more than `limit`
 * bytes of one line: longer lines are reported as too long and skipped.
 * buf is twice zlib's buffer (CHUNK, see open_input()): zlib reads or
 * inflates a request that large straight into it, where a smaller one
 * went through its own buffer and a copy. */
typedef struct line_reader {
    gzFile f;
    char buf[2 * CHUNK];
    size_t pos, end;
    bool eof, failed;
    const char *text; /* the line read: in buf when it was whole there, */
    size_t len;
    az_buf line;      /* else gathered here */
    size_t limit;
    uint32_t no;
    uint64_t bytes;
    uint64_t start;  /* offset of the current line in the (decompressed) input */
} line_reader;

/* Next line into r->text, r->len (without the '\n'), or only past it
 * when not `keep` (another rank's record: copying every line was a tenth
 * of a rank's time). A line whole in the buffer is read where it lies
 * until the next call; only one split by a refill is gathered in r->line.
 * Returns 1 for a line, 0 at the end, -1 for a kept line over the limit
 * (consumed). */
static int next_line(line_reader *r, bool keep)
{
    r->line.len = 0;
    r->start = r->bytes - (r->end - r->pos);
    bool over = false, any = false, gathered = false;
    for (;;) {
        if (r->pos == r->end) {
            if (r->eof)
                break;
            int n = gzread(r->f, r->buf, sizeof(r->buf));
            if (n <= 0) {
                r->eof = true;
                r->failed = n < 0;
                break;
            }
            r->pos = 0;
            r->end = (size_t)n;
            r->bytes += (size_t)n;
        }
        any = true;
        char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
        size_t take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->end - r->pos;
        if (nl && !gathered) {
            r->text = r->buf + r->pos;
            r->len = take;
            over = keep && take > r->limit;
            r->pos += take + 1;
            r->no++;
            return over ? -1 : 1;
        }
        gathered = true;
        if (!keep) {
            /* skipped: not copied */
        } else if (!over && r->line.len + take <= r->limit) {
            if (az_buf_put(&r->line, r->buf + r->pos, take) != AZ_OK)
                over = true;
        } else {
            over = true;
        }
        r->pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return 0;
    r->text = r->line.ptr;
    r->len = r->line.len;
    r->no++;
    return over ? -1 : 1;
}

/* ---- JSON Lines ---- */

static const char *json_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A record's members that are read: the metadata (by az_meta_key), then
 * these. */
enum { F_ID = AZ_META_COUNT, F_TEXT, F_HTML, F_COUNT };

static const char *field_name(int k)
{
    return k == F_ID ? "id" : k == F_TEXT ? "text" : k == F_HTML ? "html"
                                                  : meta_fields[k];
}

/* Each field's member of o, the first of its name, as
 * cJSON_GetObjectItemCaseSensitive() finds it, in one walk over the
 * members: a lookup a field cost a strcmp a member for each (1 % of
 * reading FA-KES). */
static void record_fields(const cJSON *o, cJSON *f[F_COUNT])
{
    for (int k = 0; k < F_COUNT; k++)
        f[k] = NULL;
    for (cJSON *m = o->child; m; m = m->next) {
        const char *key = m->string;
        if (!key)
            continue;
        for (int k = 0; k < F_COUNT; k++) {
            const char *name = field_name(k);
            if (!f[k] && name && name[0] == key[0] && strcmp(name, key) == 0) {
                f[k] = m;
                break;
            }
        }
    }
}

static const char *string_of(const cJSON *v)
{
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A record's article, taken over from cJSON (whose allocator is malloc)
 * rather than copied: the document frees it. Given text wins over HTML: it
 * is the publisher's own extraction. NULL when it has neither. */
static char *take_body(cJSON *const f[F_COUNT], az_format *fmt)
{
    bool text = string_of(f[F_TEXT]) != NULL;
    if (!text && !string_of(f[F_HTML]))
        return NULL;
    cJSON *item = f[text ? F_TEXT : F_HTML];
    char *raw = item->valuestring;
    item->valuestring = NULL;
    *fmt = text ? AZ_FORMAT_TEXT : AZ_FORMAT_HTML;
    return raw;
}

/* Normalise a given date to YYYY-MM-DD in `iso`; NULL when it is none. */
static const char *given_date(az_corpus *c, const char *path, uint32_t line,
                              const char *value, char iso[11])
{
    if (!value || !value[0])
        return NULL;
    size_t n = az_date_parse(value, strlen(value), iso);
    if (n == 0) {
        if (c)
            az_corpus_add_error(c, path, line, "\"published\": \"%.40s\" is "
                                "not a date (want YYYY-MM-DD); field ignored", value);
        return NULL;
    }
    return iso;
}

/* Where s[0, len) escapes a NUL ("\u0000"), or SIZE_MAX. cJSON would put
 * the NUL in the string, which ends it there: the rest of an article
 * would go unseen and unreported. Escapes are taken in pairs from the
 * left ("\\u0000" is a backslash and "u0000"); a backslash outside a
 * string makes the record malformed anyway. */
static size_t escaped_nul(const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    while ((p = memchr(p, '\\', (size_t)(e - p))) != NULL) {
        if (e - p >= 6 && p[1] == 'u' && p[2] == '0' && p[3] == '0' && p[4] == '0' &&
            p[5] == '0')
            return (size_t)(p - s);
        p += 2;
        if (p >= e)
            break;
    }
    return SIZE_MAX;
}

az_status az_ingest_record(az_corpus *c, az_ctx *ctx, const char *path,
                           uint32_t line, uint64_t off, const char *s,
                           size_t len)
{
    size_t bad;
    if (az_utf8_check(s, len, &bad) != AZ_OK) {
        az_corpus_add_error(c, path, line, "%s at column %zu; record skipped",
                            s[bad] ? "invalid UTF-8" : "NUL byte", bad + 1);
        return AZ_OK;
    }
    size_t nul = escaped_nul(s, len);
    if (nul != SIZE_MAX) {
        az_corpus_add_error(c, path, line, "NUL byte (\\u0000) at column %zu; "
                            "record skipped", nul + 1);
        return AZ_OK;
    }
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(s, len, &end, false);
    if (!o || !cJSON_IsObject(o)) {
        if (o)
            az_corpus_add_error(c, path, line, "record is not a JSON object; "
                                "skipped");
        else
            az_corpus_add_error(c, path, line, "malformed JSON near column "
                                "%zu; record skipped",
                                end && end >= s ? (size_t)(end - s) + 1 : 1);
        cJSON_Delete(o);
        return AZ_OK;
    }
    az_status st = AZ_OK;
    cJSON *f[F_COUNT];
    record_fields(o, f);
    const char *id = string_of(f[F_ID]);
    if (!id || !id[0]) {
        az_corpus_add_error(c, path, line, "record has no string \"id\"; "
                            "skipped");
    } else if (!string_of(f[F_TEXT]) && !string_of(f[F_HTML])) {
        az_corpus_add_error(c, path, line, "record \"%s\" has neither "
                            "\"text\" nor \"html\"; skipped", id);
    } else {
        const char *values[AZ_META_COUNT];
        char iso[11];
        for (int k = 0; k < AZ_META_COUNT; k++)
            values[k] = string_of(f[k]);
        values[AZ_META_PUBLISHED] =
            given_date(c, path, line, values[AZ_META_PUBLISHED], iso);
        /* take_body() sets it (a text or an html is there, see above). */
        az_format fmt = AZ_FORMAT_TEXT;
        char *raw = take_body(f, &fmt);
        az_source src = {off, len};
        st = az_corpus_clean_doc(c, ctx, id, path, line, raw, strlen(raw), fmt,
                                 values, AZ_SRC_RECORD, src);
    }
    cJSON_Delete(o);
    return st == AZ_ENOMEM ? st : AZ_OK;
}

static az_status read_jsonl(az_corpus *c, const char *path)
{
    line_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return AZ_ENOMEM;
    /* JSON escaping can double a text; allow for it. */
    r->limit = az_corpus_ctx(c)->opt.max_doc_bytes * 2 + 4096;
    r->f = open_input(c, path, speaks(c));
    if (!r->f) {
        free(r);
        return AZ_OK;
    }
    int got;
    /* Records can be read again at their offset from a plain file, not
     * from standard input or gzip (which cannot seek without decompressing
     * all that comes before). */
    int direct = -1;
    while ((got = next_line(r, mine_line(c, r->no + 1))) != 0) {
        if (direct < 0)
            direct = strcmp(path, "-") != 0 && gzdirect(r->f);
        if (!mine_line(c, r->no))
            continue;
        if (got < 0) {
            az_corpus_add_error(c, path, r->no, "record is longer than %zu "
                                "bytes (--max-doc-bytes); skipped", r->limit);
            continue;
        }
        size_t n = r->len;
        while (n && az_is_space_ascii((unsigned char)r->text[n - 1]))
            n--;
        if (n == 0)
            continue;
        if (az_corpus_add_record(c, path, r->no, direct ? r->start : UINT64_MAX,
                                 r->text, n) == AZ_ENOMEM)
            break;
    }
    if (r->failed && speaks(c)) {
        int err;
        az_corpus_add_error(c, path, r->no + 1, "read error: %s; rest of the "
                            "file skipped", gzerror(r->f, &err));
    }
    /* Every rank read the whole file: its bytes are counted once. */
    az_corpus_note_bytes(c, speaks(c) ? r->bytes : 0);
    gzclose(r->f);
    az_buf_free(&r->line);
    free(r);
    return AZ_OK;
}

/* ---- manifests ---- */

typedef struct mentry {
    const char *path;
    const char *values[AZ_META_COUNT];
    uint32_t line;
    bool used;
} mentry;

typedef struct manifest {
    const char *file;    /* the manifest's own path, for messages */
    const char *prefix;  /* its directory relative to the walk root, "" at
                            the root */
    mentry *e;
    size_t n;
    az_arena arena;
    bool quiet; /* read for one named file: its neighbours' faults are not
                   this run's business */
} manifest;

static int mentry_cmp(const void *a, const void *b)
{
    return strcmp(((const mentry *)a)->path, ((const mentry *)b)->path);
}

static void manifest_free(manifest *m)
{
    if (!m)
        return;
    free(m->e);
    az_arena_free(&m->arena);
    free(m);
}

/* Strip "./" and repeated slashes so "./a//b.txt" matches "a/b.txt". */
static char *clean_rel(az_arena *a, const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    char *out = az_arena_strdup(a, p);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t r = 0; out[r]; r++)
        if (!(out[r] == '/' && w > 0 && out[w - 1] == '/'))
            out[w++] = out[r];
    out[w] = '\0';
    return out;
}

static az_status manifest_entry(az_corpus *c, manifest *m, size_t *cap,
                                uint32_t line, const char *s, size_t len)
{
    /* As in a record (see escaped_nul()): a path or a title cut short. */
    size_t nul = escaped_nul(s, len);
    if (nul != SIZE_MAX) {
        if (!m->quiet)
            az_corpus_add_error(c, m->file, line, "NUL byte (\\u0000) at column "
                                "%zu; manifest entry ignored", nul + 1);
        return AZ_OK;
    }
    cJSON *o = cJSON_ParseWithLength(s, len);
    const char *path = o ? json_string(o, "path") : NULL;
    if (!o || !cJSON_IsObject(o) || !path || !path[0]) {
        if (!m->quiet)
            az_corpus_add_error(c, m->file, line, o ? "manifest entry has no "
                            "\"path\"; ignored" : "malformed JSON; manifest "
                            "entry ignored");
        cJSON_Delete(o);
        return AZ_OK;
    }
    if (m->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        mentry *e = realloc(m->e, *cap * sizeof(*e));
        if (!e) {
            cJSON_Delete(o);
            return AZ_ENOMEM;
        }
        m->e = e;
    }
    mentry *e = &m->e[m->n++];
    memset(e, 0, sizeof(*e));
    e->line = line;
    e->path = clean_rel(&m->arena, path);
    char iso[11];
    for (int k = 0; k < AZ_META_COUNT; k++) {
        const char *v = json_string(o, meta_fields[k]);
        if (k == AZ_META_PUBLISHED)
            v = given_date(m->quiet ? NULL : c, m->file, line, v, iso);
        e->values[k] = v ? az_arena_strdup(&m->arena, v) : NULL;
    }
    cJSON_Delete(o);
    return e->path ? AZ_OK : AZ_ENOMEM;
}

/* Load `file`; entries are sorted by path for lookup. NULL on failure
 * (errors recorded). */
static manifest *manifest_load(az_corpus *c, const char *file,
                               const char *prefix, bool quiet)
{
    manifest *m = calloc(1, sizeof(*m));
    line_reader *r = calloc(1, sizeof(*r));
    if (!m || !r)
        goto fail;
    m->quiet = quiet;
    m->file = az_arena_strdup(&m->arena, file);
    m->prefix = az_arena_strdup(&m->arena, prefix);
    if (!m->file || !m->prefix)
        goto fail;
    r->limit = 1u << 20;
    if (!(r->f = open_input(c, file, !quiet)))
        goto fail;
    size_t cap = 0;
    int got;
    while ((got = next_line(r, true)) != 0) {
        if (got < 0 || (r->len && az_utf8_check(r->text, r->len, NULL) != AZ_OK)) {
            if (!quiet)
                az_corpus_add_error(c, file, r->no, got < 0 ? "manifest line too "
                                    "long; ignored" : "not UTF-8; manifest "
                                    "entry ignored");
            continue;
        }
        if (r->len == 0)
            continue;
        if (manifest_entry(c, m, &cap, r->no, r->text, r->len) != AZ_OK)
            goto fail;
    }
    gzclose(r->f);
    az_buf_free(&r->line);
    free(r);
    if (m->n > 1)
        qsort(m->e, m->n, sizeof(*m->e), mentry_cmp);
    return m;
fail:
    if (r && r->f)
        gzclose(r->f);
    if (r)
        az_buf_free(&r->line);
    free(r);
    manifest_free(m);
    return NULL;
}

static void manifest_report_unused(az_corpus *c, const manifest *m)
{
    for (size_t i = 0; !m->quiet && i < m->n; i++)
        if (!m->e[i].used)
            az_corpus_add_error(c, m->file, m->e[i].line, "no article file "
                                "\"%s\" beside the manifest; entry ignored",
                                m->e[i].path);
}

/* ---- walking ---- */

typedef struct walk {
    az_corpus *c;
    manifest *stack[MAX_DEPTH];
    int depth;
} walk;

/* The metadata for `rel` (relative to the walk root) from the innermost
 * manifest listing it; NULL when none does. */
static const char *const *lookup_meta(walk *w, const char *rel)
{
    for (int d = w->depth - 1; d >= 0; d--) {
        manifest *m = w->stack[d];
        if (!m)
            continue;
        size_t pl = strlen(m->prefix);
        if (pl && (strncmp(rel, m->prefix, pl) != 0 || rel[pl] != '/'))
            continue;
        mentry key = {.path = rel + (pl ? pl + 1 : 0)};
        /* A manifest without one valid entry has no array at all. */
        mentry *e = m->n ? bsearch(&key, m->e, m->n, sizeof(*m->e), mentry_cmp)
                         : NULL;
        if (e) {
            e->used = true;
            return e->values;
        }
    }
    return NULL;
}

/* The file `name` of the directory open as dir, at `path`. */
static az_status add_file(walk *w, const char *path, int dir, const char *name,
                          const char *id, kind k)
{
    az_corpus *c = w->c;
    if (k == K_JSONL)
        return read_jsonl(c, path);
    /* Looked up by every rank: rank 0 reports the entries nobody used. */
    const char *const *meta = lookup_meta(w, id);
    if (!mine_file(c, path))
        return AZ_OK;
    char *raw;
    size_t len;
    uint64_t reread;
    az_status st = read_all(c, path, dir, name, az_corpus_ctx(c)->opt.max_doc_bytes,
                            &raw, &len, &reread);
    if (st == AZ_ENOMEM)
        return st;
    if (st != AZ_OK)
        return AZ_OK;
    st = az_corpus_add_doc(c, id, path, 1, raw, len,
                           k == K_HTML ? AZ_FORMAT_HTML : AZ_FORMAT_TEXT,
                           meta, AZ_SRC_MANIFEST, (az_source){reread, len});
    return st == AZ_ENOMEM ? st : AZ_OK;
}

/* A directory entry: its name and what readdir() says it is. */
typedef struct entry {
    char *name;
    unsigned char type; /* DT_REG, DT_DIR, ... or DT_UNKNOWN */
} entry;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    size_t n = la;
    if (la && a[la - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, b, lb + 1);
    return p;
}

/* Sorted names of the visible entries of `dir`, and *open the directory,
 * left open to open its files by name (closedir() it); NULL with *n = 0
 * and *open NULL when it cannot be read (error recorded). */
static entry *list_dir(az_corpus *c, const char *dir, size_t *n, DIR **open)
{
    *n = 0;
    DIR *d = *open = opendir(dir);
    if (!d) {
        if (speaks(c))
            az_corpus_add_error(c, dir, 0, "cannot read directory: %s; skipped",
                                strerror(errno));
        return NULL;
    }
    entry *names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            entry *p = realloc(names, cap * sizeof(*p));
            if (!p)
                break;
            names = p;
        }
        if (!(names[*n].name = strdup(e->d_name)))
            break;
        names[*n].type = e->d_type;
        (*n)++;
    }
    if (*n > 1)
        qsort(names, *n, sizeof(*names), entry_cmp);
    return names;
}

static az_status walk_dir(walk *w, const char *dir, const char *rel)
{
    if (w->depth >= MAX_DEPTH) {
        if (speaks(w->c))
            az_corpus_add_error(w->c, dir, 0, "directories nested deeper than %d; "
                            "skipped", MAX_DEPTH);
        return AZ_OK;
    }
    size_t n;
    DIR *open = NULL;
    entry *names = list_dir(w->c, dir, &n, &open);
    int fd = open ? dirfd(open) : -1;
    az_status st = AZ_OK;
    char *mpath = join(dir, "manifest.jsonl");
    struct stat sb;
    w->stack[w->depth++] = mpath && stat(mpath, &sb) == 0 && S_ISREG(sb.st_mode)
                               ? manifest_load(w->c, mpath, rel, !speaks(w->c)) : NULL;
    for (size_t i = 0; i < n && st == AZ_OK; i++) {
        const char *name = names[i].name;
        if (strcmp(name, "manifest.jsonl") == 0)
            continue;
        char *path = join(dir, name);
        char *id = rel[0] ? join(rel, name) : strdup(name);
        /* What readdir() says of a file or a directory is what stat()
         * would (a link is not either: it is followed), and a stat() per
         * file was a fifth of reading a tree of small articles. */
        mode_t mode = names[i].type == DT_REG ? S_IFREG
                    : names[i].type == DT_DIR ? S_IFDIR : 0;
        if (!path || !id)
            st = AZ_ENOMEM;
        else if (!mode && stat(path, &sb) == 0)
            mode = sb.st_mode;
        else if (!mode && speaks(w->c))
            az_corpus_add_error(w->c, path, 0, "cannot stat: %s; skipped",
                                strerror(errno));
        if (st == AZ_OK && S_ISDIR(mode))
            st = walk_dir(w, path, id);
        else if (st == AZ_OK && S_ISREG(mode) && kind_of(name) != K_SKIP)
            st = add_file(w, path, fd, name, id, kind_of(name));
        free(path);
        free(id);
    }
    manifest *m = w->stack[--w->depth];
    if (m)
        manifest_report_unused(w->c, m);
    manifest_free(m);
    free(mpath);
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
    free(names);
    if (open)
        closedir(open);
    return st;
}

/* A file named directly: its id is the path as given, and a manifest in
 * its directory may describe it by its base name. */
static az_status add_single(walk *w, const char *path)
{
    kind k = kind_of(path);
    if (k == K_SKIP)
        k = K_TEXT; /* named explicitly: the user wants it read */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup("");
    char *mpath = dir ? join(dir[0] ? dir : ".", "manifest.jsonl") : NULL;
    struct stat sb;
    manifest *m = mpath && k != K_JSONL && stat(mpath, &sb) == 0 &&
                  S_ISREG(sb.st_mode) ? manifest_load(w->c, mpath, "", true) : NULL;
    w->stack[w->depth++] = m;
    az_status st;
    const char *base = slash ? slash + 1 : path;
    if (k == K_JSONL) {
        st = read_jsonl(w->c, path);
    } else if (!mine_file(w->c, path)) {
        st = AZ_OK;
    } else {
        char *raw;
        size_t len;
        uint64_t reread;
        st = read_all(w->c, path, -1, NULL, az_corpus_ctx(w->c)->opt.max_doc_bytes,
                      &raw, &len, &reread);
        if (st == AZ_OK)
            st = az_corpus_add_doc(w->c, path, path, 1, raw, len,
                                   k == K_HTML ? AZ_FORMAT_HTML : AZ_FORMAT_TEXT,
                                   lookup_meta(w, base), AZ_SRC_MANIFEST,
                                   (az_source){reread, len});
        if (st != AZ_ENOMEM)
            st = AZ_OK;
    }
    w->depth--;
    manifest_free(m);
    free(mpath);
    free(dir);
    return st;
}

/* Descriptors kept open by all contexts, and how many may be: half the
 * process's limit, so that many threads keeping several each leave room
 * for everything else. */
static atomic_size_t kept_fds;
static size_t fd_budget;
static pthread_once_t fd_budget_once = PTHREAD_ONCE_INIT;

static void find_fd_budget(void)
{
    struct rlimit rl;
    fd_budget = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                    ? (size_t)rl.rlim_cur / 2 : 512;
}

static void reread_close(az_ctx *ctx, unsigned k)
{
    if (ctx->reread_fd[k] >= 0) {
        close(ctx->reread_fd[k]);
        atomic_fetch_sub(&kept_fds, 1);
    }
    free(ctx->reread_path[k]);
    ctx->reread_fd[k] = -1;
    ctx->reread_path[k] = NULL;
}

void az_ingest_reread_close(az_ctx *ctx)
{
    for (unsigned k = 0; k < AZ_REREAD_FDS; k++)
        reread_close(ctx, k);
}

/* A descriptor of `path` for pread, one of the context's kept ones when
 * it is; else a free slot takes it while the budget allows, or the
 * context's oldest makes way. */
static int reread_fd(az_ctx *ctx, const char *path)
{
    unsigned k, used = 0;
    for (k = 0; k < AZ_REREAD_FDS; k++) {
        if (ctx->reread_fd[k] >= 0 && strcmp(ctx->reread_path[k], path) == 0)
            return ctx->reread_fd[k];
        used += ctx->reread_fd[k] >= 0;
    }
    pthread_once(&fd_budget_once, find_fd_budget);
    for (k = 0; k < AZ_REREAD_FDS; k++)
        if (ctx->reread_fd[k] < 0 && (used == 0 || atomic_load(&kept_fds) < fd_budget))
            break;
    if (k == AZ_REREAD_FDS) { /* over budget (used > 0): one of its own goes */
        k = ctx->reread_next;
        while (ctx->reread_fd[k] < 0)
            k = (k + 1) % AZ_REREAD_FDS;
        ctx->reread_next = (k + 1) % AZ_REREAD_FDS;
    }
    reread_close(ctx, k);
    if (!(ctx->reread_path[k] = strdup(path)))
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == EMFILE) {
        /* Out of descriptors all the same: give back this context's. */
        for (unsigned j = 0; j < AZ_REREAD_FDS; j++)
            if (j != k)
                reread_close(ctx, j);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        reread_close(ctx, k);
        return -1;
    }
    atomic_fetch_add(&kept_fds, 1);
    return ctx->reread_fd[k] = fd;
}

az_status az_ingest_reread(az_ctx *ctx, const az_doc *d, char **raw, size_t *len)
{
    *raw = NULL;
    *len = 0;
    if (d->src.off == UINT64_MAX)
        return AZ_EINVAL;
    /* Only plain files are re-read (see read_jsonl), so pread does: zlib's
     * gzseek reads and discards everything before the offset. */
    int fd = reread_fd(ctx, d->path);
    if (fd < 0)
        return AZ_EIO;
    char *buf = malloc(d->src.len + 1);
    az_status st = buf ? AZ_OK : AZ_ENOMEM;
    size_t got = 0;
    while (st == AZ_OK && got < d->src.len) {
        ssize_t n = pread(fd, buf + got, d->src.len - got, (off_t)(d->src.off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            st = AZ_EIO; /* the input changed since it was read */
        else
            got += (size_t)n;
    }
    if (st != AZ_OK) {
        free(buf);
        return st;
    }
    buf[got] = '\0';
    if (!d->from_record) {
        *raw = buf;
        *len = got;
        return AZ_OK;
    }
    cJSON *o = cJSON_ParseWithLength(buf, got);
    free(buf);
    az_format fmt;
    cJSON *f[F_COUNT] = {NULL};
    if (o)
        record_fields(o, f);
    *raw = o ? take_body(f, &fmt) : NULL;
    cJSON_Delete(o);
    if (!*raw)
        return AZ_EIO;
    *len = strlen(*raw);
    return AZ_OK;
}

az_status az_ingest_path(az_corpus *c, const char *path)
{
    walk w = {.c = c};
    if (strcmp(path, "-") == 0 && az_corpus_ranks(c) > 1) {
        /* Open MPI gives rank 0 alone the standard input. */
        if (speaks(c))
            az_corpus_add_error(c, "-", 0, "--mpi needs inputs that every rank "
                                "can read: standard input is not; skipped");
        return AZ_EINVAL;
    }
    if (strcmp(path, "-") == 0)
        return read_jsonl(c, "-");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (speaks(c))
            az_corpus_add_error(c, path, 0, "cannot open: %s", strerror(errno));
        return AZ_EIO;
    }
    if (S_ISDIR(sb.st_mode))
        return walk_dir(&w, path, "");
    return add_single(&w, path);
}
