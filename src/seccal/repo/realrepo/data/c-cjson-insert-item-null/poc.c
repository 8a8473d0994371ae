/* Inserting NULL, or inserting before a corrupted item, must be refused, not crash. */
#include <stdio.h>
#include "../cJSON.h"

int main(void)
{
    cJSON *array = cJSON_CreateArray();
    cJSON *first = cJSON_CreateNumber(1);
    cJSON *second = cJSON_CreateNumber(2);
    cJSON *extra = cJSON_CreateNumber(3);
    cJSON *saved;
    cJSON_AddItemToArray(array, first);
    cJSON_AddItemToArray(array, second);
    if (cJSON_InsertItemInArray(array, 0, NULL)) {
        puts("inserting NULL was accepted");
        return 1;
    }
    saved = second->prev;
    second->prev = NULL; /* an item whose back link is broken */
    if (cJSON_InsertItemInArray(array, 1, extra)) {
        puts("inserting before a corrupted item was accepted");
        return 1;
    }
    second->prev = saved;
    cJSON_Delete(extra);
    cJSON_Delete(array);
    return 0;
}
