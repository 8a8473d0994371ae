#include <string.h>

#include "profile.h"

void profile_init(struct profile *p, int id) {
    memset(p, 0, sizeof(*p));
    p->id = id;
    strcpy(p->name, "anonymous");
}

<<<SECCAL_REGION>>>

int profile_set_bio(struct profile *p, const char *bio) {
    size_t n = strlen(bio);
    if (n >= USER_BIO_MAX) {
        return -1;
    }
    memcpy(p->bio, bio, n + 1);
    return 0;
}

const char *profile_name(const struct profile *p) {
    return p->name;
}
