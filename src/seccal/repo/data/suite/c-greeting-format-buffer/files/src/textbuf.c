#include <stdarg.h>
#include <stdio.h>

#include "textbuf.h"

void textbuf_init(struct textbuf *tb, char *storage, size_t cap) {
    tb->data = storage;
    tb->cap = cap;
    tb->len = 0;
    if (cap > 0) {
        storage[0] = '\0';
    }
}

int textbuf_printf(struct textbuf *tb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tb->data, tb->cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= tb->cap) {
        if (tb->cap > 0) {
            tb->data[0] = '\0';
        }
        tb->len = 0;
        return -1;
    }
    tb->len = (size_t)n;
    return 0;
}
