#ifndef PLACEPLAN_CGLPK_SHIM_H
#define PLACEPLAN_CGLPK_SHIM_H
#include <glpk.h>
#endif
