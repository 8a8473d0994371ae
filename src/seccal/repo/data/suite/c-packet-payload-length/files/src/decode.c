#include <string.h>

#include "proto.h"

<<<SECCAL_REGION>>>
