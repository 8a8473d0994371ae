#ifndef BANNER_H
#define BANNER_H

#include "textbuf.h"

int banner_greeting(struct textbuf *tb, const char *user, const char *host);

#endif
