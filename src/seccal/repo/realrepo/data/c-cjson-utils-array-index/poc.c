/* A JSON Pointer array index holding a non-digit must be rejected, not read as a number. */
#include <stdio.h>
#include "../cJSON.h"
#include "../cJSON_Utils.h"

int main(void)
{
    cJSON *array = cJSON_CreateArray();
    int i;
    for (i = 0; i < 40; i++) {
        cJSON_AddItemToArray(array, cJSON_CreateNumber(i));
    }
    if (cJSONUtils_GetPointer(array, "/1:") != NULL) {
        puts("index '1:' accepted");
        return 1;
    }
    if (cJSONUtils_GetPointer(array, "/3") == NULL) {
        puts("index '3' rejected");
        return 1;
    }
    cJSON_Delete(array);
    return 0;
}
