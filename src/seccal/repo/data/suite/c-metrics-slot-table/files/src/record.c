#include "metrics.h"

<<<SECCAL_REGION>>>
