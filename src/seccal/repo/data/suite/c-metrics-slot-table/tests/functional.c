#include "check.h"
#include "metrics.h"

int main(void) {
    struct metrics_table *t = metrics_new();
    CHECK(metrics_record(t, 0, 5) == 5, "first add");
    CHECK(metrics_record(t, 0, 2) == 7, "second add");
    CHECK(metrics_record(t, METRICS_SLOTS - 1, 9) == 9, "last slot");
    CHECK(metrics_get(t, 0) == 7, "read back");
    CHECK(t->updates == 3, "update count");
    metrics_free(t);
    return finish();
}
