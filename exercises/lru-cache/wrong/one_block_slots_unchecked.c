/* Wrong: puts the header, the slots and the block bytes in one allocation; it checks that the header plus capacity * block_size fits in size_t, but not with the slots added, so the whole size can still wrap around. */
#include "lru.h"

#include <stdlib.h>
#include <string.h>

/* Otherwise as the reference: slots[0 .. count - 1] hold the cached blocks (a slot is
 * reused in place when its block is evicted) and are chained in a doubly
 * linked list by order of use, from `oldest` to `newest`. Blocks are found by
 * a linear search, which is fast enough for the capacities involved. */
#define NONE SIZE_MAX

struct slot {
    uint64_t block;
    bool dirty;
    size_t older; /* neighbours in the order of use, NONE at the ends */
    size_t newer;
};

struct lru {
    size_t capacity;
    size_t block_size;
    size_t count;
    size_t oldest; /* the next victim; NONE when empty */
    size_t newest;
    struct slot *slots;
    unsigned char *data; /* block_size bytes per slot */
    lru_writeback_fn writeback;
    void *ctx;
};

lru_t *lru_new(size_t capacity, size_t block_size, lru_writeback_fn writeback, void *ctx)
{
    if (capacity == 0 || block_size == 0 || writeback == NULL)
        return NULL;
    if (capacity > (SIZE_MAX - sizeof(struct lru)) / block_size)
        return NULL;
    /* One block: header, then the slots, then the bytes of every block. */
    lru_t *c = malloc(sizeof *c + capacity * (sizeof(struct slot) + block_size));
    if (c == NULL)
        return NULL;
    struct slot *slots = (struct slot *)(c + 1);
    unsigned char *data = (unsigned char *)(slots + capacity);
    *c = (lru_t){
        .capacity = capacity,
        .block_size = block_size,
        .oldest = NONE,
        .newest = NONE,
        .slots = slots,
        .data = data,
        .writeback = writeback,
        .ctx = ctx,
    };
    return c;
}

void lru_destroy(lru_t *c)
{
    if (c == NULL)
        return;
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
    return NONE;
}

/* Takes slot i out of the order of use. */
static void unlink_slot(lru_t *c, size_t i)
{
    struct slot *s = &c->slots[i];
    if (s->older != NONE)
        c->slots[s->older].newer = s->newer;
    else
        c->oldest = s->newer;
    if (s->newer != NONE)
        c->slots[s->newer].older = s->older;
    else
        c->newest = s->older;
}

/* Puts slot i (not in the list) at the newest end. */
static void push_newest(lru_t *c, size_t i)
{
    c->slots[i].older = c->newest;
    c->slots[i].newer = NONE;
    if (c->newest != NONE)
        c->slots[c->newest].newer = i;
    else
        c->oldest = i;
    c->newest = i;
}

void *lru_lookup(lru_t *c, uint64_t block)
{
    size_t i = find(c, block);
    if (i == NONE)
        return NULL;
    unlink_slot(c, i);
    push_newest(c, i);
    return data_of(c, i);
}

int lru_insert(lru_t *c, uint64_t block, const void *data, bool dirty)
{
    size_t i = find(c, block);
    if (i == NONE && c->count < c->capacity) {
        i = c->count++;
    } else {
        if (i == NONE) {
            /* Full: reuse the least recently used slot, once it is safe. */
            i = c->oldest;
            if (c->slots[i].dirty && c->writeback(c->ctx, c->slots[i].block, data_of(c, i)) != 0)
                return -1;
        }
        unlink_slot(c, i);
    }
    push_newest(c, i);
    c->slots[i].block = block;
    c->slots[i].dirty = dirty;
    memcpy(data_of(c, i), data, c->block_size);
    return 0;
}

bool lru_mark_dirty(lru_t *c, uint64_t block)
{
    size_t i = find(c, block);
    if (i == NONE)
        return false;
    c->slots[i].dirty = true;
    return true;
}

size_t lru_flush(lru_t *c)
{
    size_t failed = 0;
    for (size_t i = c->oldest; i != NONE; i = c->slots[i].newer) {
        if (!c->slots[i].dirty)
            continue;
        if (c->writeback(c->ctx, c->slots[i].block, data_of(c, i)) == 0)
            c->slots[i].dirty = false;
        else
            failed++;
    }
    return failed;
}

size_t lru_count(const lru_t *c)
{
    return c->count;
}
