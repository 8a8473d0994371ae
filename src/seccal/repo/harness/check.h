/* seccal's tiny C test harness: CHECK(cond, msg) counts failures; finish() exits 1 if any. */
#ifndef SECCAL_CHECK_H
#define SECCAL_CHECK_H
#include <stdio.h>
#include <stdlib.h>

static int seccal_failures = 0;
static int seccal_checks = 0;

#define CHECK(cond, msg)                                                     \
    do {                                                                     \
        seccal_checks++;                                                     \
        if (!(cond)) {                                                       \
            seccal_failures++;                                               \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, (msg));  \
        }                                                                    \
    } while (0)

static int finish(void) {
    printf("%d checks, %d failed\n", seccal_checks, seccal_failures);
    return seccal_failures ? 1 : 0;
}
#endif
