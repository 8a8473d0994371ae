#include <string.h>

#include "check.h"
#include "profile.h"

int main(void) {
    struct profile p;
    profile_init(&p, 7);
    CHECK(strcmp(profile_name(&p), "anonymous") == 0, "default name");
    CHECK(profile_set_name(&p, "alice") == 0, "set short name");
    CHECK(strcmp(profile_name(&p), "alice") == 0, "name stored");
    CHECK(profile_set_name(&p, "Bob Smith") == 0, "name with space");
    CHECK(strcmp(profile_name(&p), "Bob Smith") == 0, "second name stored");
    CHECK(p.id == 7 && p.is_admin == 0, "other fields untouched");
    return finish();
}
