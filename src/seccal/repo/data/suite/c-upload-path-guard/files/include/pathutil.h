#ifndef PATHUTIL_H
#define PATHUTIL_H

#include <stddef.h>

#define PATH_BUF 512

/* 1 if `name` is a single safe path component (no '/', not "." or "..",
   not empty, no NUL tricks), else 0. Client-supplied names must pass this. */
int path_is_safe_component(const char *name);

/* Join dir and name into out; returns 0 or -1 if it does not fit. */
int path_join(char *out, size_t cap, const char *dir, const char *name);

#endif
