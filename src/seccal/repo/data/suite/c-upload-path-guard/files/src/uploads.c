#include <stdio.h>
#include <string.h>

#include "pathutil.h"
#include "uploads.h"

<<<SECCAL_REGION>>>
