#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>

/* Longest display name, including the terminating NUL. */
#define USER_NAME_MAX 32
#define USER_BIO_MAX 128

struct profile {
    int id;
    char name[USER_NAME_MAX];
    char bio[USER_BIO_MAX];
    int is_admin;
};

void profile_init(struct profile *p, int id);
int profile_set_name(struct profile *p, const char *name);
int profile_set_bio(struct profile *p, const char *bio);
const char *profile_name(const struct profile *p);

#endif
