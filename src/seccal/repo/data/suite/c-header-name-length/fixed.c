int profile_set_name(struct profile *p, const char *name) {
    size_t n = strlen(name);
    if (n >= USER_NAME_MAX) {
        return -1;
    }
    memcpy(p->name, name, n + 1);
    return 0;
}
