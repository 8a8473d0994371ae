#include <stdlib.h>

#include "metrics.h"

struct metrics_table *metrics_new(void) {
    return calloc(1, sizeof(struct metrics_table));
}

void metrics_free(struct metrics_table *t) {
    free(t);
}

long metrics_get(const struct metrics_table *t, int slot) {
    if (slot < 0 || slot >= METRICS_SLOTS) {
        return -1;
    }
    return t->counters[slot];
}
