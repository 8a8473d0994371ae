#include <string.h>

#include "banner.h"
#include "check.h"

int main(void) {
    char storage[128];
    struct textbuf tb;
    textbuf_init(&tb, storage, sizeof(storage));
    CHECK(banner_greeting(&tb, "alice", "db01") == 0, "fits");
    CHECK(strcmp(storage, "Welcome, alice! You are connected to db01.") == 0, "text");
    CHECK(tb.len == strlen(storage), "length recorded");
    return finish();
}
