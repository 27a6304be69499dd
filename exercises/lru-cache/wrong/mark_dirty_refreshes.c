/* Wrong: lru_mark_dirty also makes the block the most recently used. */
#include "lru.h"

#include <stdlib.h>
#include <string.h>

struct slot {
    uint64_t block;
    uint64_t used_at; /* tick of the last insert or lookup */
    bool dirty;
};

struct lru {
    size_t capacity;
    size_t block_size;
    size_t count; /* slots[0 .. count - 1] are in use */
    uint64_t tick;
    struct slot *slots;
    unsigned char *data; /* block_size bytes per slot */
    lru_writeback_fn writeback;
    void *ctx;
};

lru_t *lru_new(size_t capacity, size_t block_size, lru_writeback_fn writeback, void *ctx)
{
    if (capacity == 0 || block_size == 0 || writeback == NULL)
        return NULL;
    lru_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    /* calloc refuses a product that overflows size_t. */
    c->slots = calloc(capacity, sizeof *c->slots);
    c->data = calloc(capacity, block_size);
    if (c->slots == NULL || c->data == NULL) {
        free(c->slots);
        free(c->data);
        free(c);
        return NULL;
    }
    c->capacity = capacity;
    c->block_size = block_size;
    c->writeback = writeback;
    c->ctx = ctx;
    return c;
}

void lru_destroy(lru_t *c)
{
    if (c == NULL)
        return;
    free(c->slots);
    free(c->data);
    free(c);
}

static unsigned char *data_of(lru_t *c, size_t i)
{
    return c->data + i * c->block_size;
}

static size_t find(const lru_t *c, uint64_t block)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->slots[i].block == block)
            return i;
    return SIZE_MAX;
}

void *lru_lookup(lru_t *c, uint64_t block)
{
    size_t i = find(c, block);
    if (i == SIZE_MAX)
        return NULL;
    c->slots[i].used_at = ++c->tick;
    return data_of(c, i);
}

int lru_insert(lru_t *c, uint64_t block, const void *data, bool dirty)
{
    size_t i = find(c, block);
    if (i == SIZE_MAX && c->count < c->capacity) {
        i = c->count++;
    } else if (i == SIZE_MAX) {
        /* Full: the victim is the least recently used block. */
        i = 0;
        for (size_t j = 1; j < c->count; j++)
            if (c->slots[j].used_at < c->slots[i].used_at)
                i = j;
        if (c->slots[i].dirty && c->writeback(c->ctx, c->slots[i].block, data_of(c, i)) != 0)
            return -1;
    }
    c->slots[i].block = block;
    c->slots[i].dirty = dirty;
    c->slots[i].used_at = ++c->tick;
    memcpy(data_of(c, i), data, c->block_size);
    return 0;
}

bool lru_mark_dirty(lru_t *c, uint64_t block)
{
    size_t i = find(c, block);
    if (i == SIZE_MAX)
        return false;
    c->slots[i].dirty = true;
    c->slots[i].used_at = ++c->tick;
    return true;
}

size_t lru_flush(lru_t *c)
{
    size_t failed = 0;
    uint64_t after = 0; /* ticks start at 1: every block is used after 0 */
    /* Visit the blocks in increasing order of their ticks (all distinct). */
    for (size_t visited = 0; visited < c->count; visited++) {
        size_t next = SIZE_MAX;
        for (size_t j = 0; j < c->count; j++)
            if (c->slots[j].used_at > after && (next == SIZE_MAX || c->slots[j].used_at < c->slots[next].used_at))
                next = j;
        after = c->slots[next].used_at;
        if (!c->slots[next].dirty)
            continue;
        if (c->writeback(c->ctx, c->slots[next].block, data_of(c, next)) == 0)
            c->slots[next].dirty = false;
        else
            failed++;
    }
    return failed;
}

size_t lru_count(const lru_t *c)
{
    return c->count;
}
