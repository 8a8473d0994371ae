/* A NULL object, a NULL new string or a corrupted item must give NULL, not a crash. */
#include <stdio.h>
#include <stdlib.h>
#include "../cJSON.h"

int main(void)
{
    cJSON *item = cJSON_CreateString("original");
    cJSON *broken = cJSON_CreateString("broken");
    if (cJSON_SetValuestring(NULL, "x") != NULL) {
        puts("NULL object accepted");
        return 1;
    }
    if (cJSON_SetValuestring(item, NULL) != NULL) {
        puts("NULL value accepted");
        return 1;
    }
    free(broken->valuestring);
    broken->valuestring = NULL;
    if (cJSON_SetValuestring(broken, "x") != NULL) {
        puts("item without a string accepted");
        return 1;
    }
    cJSON_Delete(item);
    cJSON_Delete(broken);
    return 0;
}
