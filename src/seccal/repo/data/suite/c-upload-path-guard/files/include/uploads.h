#ifndef UPLOADS_H
#define UPLOADS_H

#include <stddef.h>

long upload_read(const char *root, const char *name, char *out, size_t cap);

#endif
