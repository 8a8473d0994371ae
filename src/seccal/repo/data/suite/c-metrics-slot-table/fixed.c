long metrics_record(struct metrics_table *t, int slot, long delta) {
    if (slot < 0 || slot >= METRICS_SLOTS) {
        return -1;
    }
    t->counters[slot] += delta;
    t->updates++;
    return t->counters[slot];
}
