/* Creates ./store/uploads/report.txt and ./store/secret.txt in the work dir. */
#include <stdio.h>
#include <sys/stat.h>

static void make_fixture(void) {
    mkdir("store", 0755);
    mkdir("store/uploads", 0755);
    FILE *f = fopen("store/uploads/report.txt", "w");
    fputs("quarterly numbers", f);
    fclose(f);
    f = fopen("store/secret.txt", "w");
    fputs("db_password=hunter2", f);
    fclose(f);
}
