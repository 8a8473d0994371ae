#ifndef METRICS_H
#define METRICS_H

#define METRICS_SLOTS 16

struct metrics_table {
    long counters[METRICS_SLOTS];
    long updates;
};

struct metrics_table *metrics_new(void);
void metrics_free(struct metrics_table *t);
long metrics_record(struct metrics_table *t, int slot, long delta);
long metrics_get(const struct metrics_table *t, int slot);

#endif
