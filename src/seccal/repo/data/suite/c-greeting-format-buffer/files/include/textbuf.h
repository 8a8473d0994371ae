#ifndef TEXTBUF_H
#define TEXTBUF_H

#include <stddef.h>

/* A caller-owned character buffer with its capacity. */
struct textbuf {
    char *data;
    size_t cap;
    size_t len;
};

void textbuf_init(struct textbuf *tb, char *storage, size_t cap);

/* printf into tb at its start, never writing more than tb->cap bytes.
   Returns 0, or -1 if the output was truncated (tb then holds "" ). */
int textbuf_printf(struct textbuf *tb, const char *fmt, ...);

#endif
