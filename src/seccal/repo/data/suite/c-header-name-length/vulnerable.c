int profile_set_name(struct profile *p, const char *name) {
    strcpy(p->name, name);
    return 0;
}
