#include <stdio.h>
#include <string.h>

#include "banner.h"

<<<SECCAL_REGION>>>
