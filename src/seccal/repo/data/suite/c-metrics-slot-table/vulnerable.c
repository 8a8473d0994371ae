long metrics_record(struct metrics_table *t, int slot, long delta) {
    t->counters[slot] += delta;
    t->updates++;
    return t->counters[slot];
}
