/* A valid number longer than any fixed buffer must parse whole, to its value. */
#include <stdio.h>
#include <string.h>
#include "../cJSON.h"

int main(void)
{
    char text[400];
    cJSON *doc;
    double got;
    memset(text, 0, sizeof text);
    text[0] = '[';
    text[1] = '1';
    memset(text + 2, '0', 300);
    strcat(text, ".5e-300]");
    doc = cJSON_Parse(text);
    if (doc == NULL || !cJSON_IsNumber(cJSON_GetArrayItem(doc, 0))) {
        puts("long number rejected");
        return 1;
    }
    got = cJSON_GetArrayItem(doc, 0)->valuedouble;
    if (got < 0.99 || got > 1.01) {
        printf("long number parsed as %g\n", got);
        return 1;
    }
    cJSON_Delete(doc);
    return 0;
}
