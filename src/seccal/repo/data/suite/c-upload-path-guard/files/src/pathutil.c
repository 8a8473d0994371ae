#include <stdio.h>
#include <string.h>

#include "pathutil.h"

int path_is_safe_component(const char *name) {
    if (name == NULL || name[0] == '\0') {
        return 0;
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return 0;
    }
    return strchr(name, '/') == NULL && strchr(name, '\\') == NULL;
}

int path_join(char *out, size_t cap, const char *dir, const char *name) {
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}
