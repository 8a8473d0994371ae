#include <string.h>

#include "check.h"
#include "fixture.h"
#include "uploads.h"

int main(void) {
    make_fixture();
    char buf[256];
    long n = upload_read("store/uploads", "report.txt", buf, sizeof(buf));
    CHECK(n == 17, "bytes read");
    CHECK(strcmp(buf, "quarterly numbers") == 0, "content");
    CHECK(upload_read("store/uploads", "missing.txt", buf, sizeof(buf)) == -1, "missing file");
    n = upload_read("store/uploads", "report.txt", buf, 6);
    CHECK(n == 5 && strcmp(buf, "quart") == 0, "truncated to cap");
    return finish();
}
