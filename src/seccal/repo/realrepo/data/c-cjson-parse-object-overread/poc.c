/* An object cut off after a comma, in a buffer without a terminator, must not be read past. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../cJSON.h"

int main(void)
{
    const char *cut = "{\"a\":1,";
    size_t n = strlen(cut);
    char *buf = malloc(n); /* exactly the bytes, no NUL after them */
    cJSON *doc;
    memcpy(buf, cut, n);
    doc = cJSON_ParseWithLength(buf, n);
    if (doc != NULL) {
        puts("truncated object accepted");
        return 1;
    }
    free(buf);
    return 0;
}
