#ifndef PLACEPLAN_CGLPK_SHIM_H
#define PLACEPLAN_CGLPK_SHIM_H
/* Debian/Ubuntu: /usr/include. macOS: Homebrew's prefix, which is not on the compiler's default
   path on Apple silicon (Package.swift adds the matching -L for the linker). */
#if __has_include(<glpk.h>)
#include <glpk.h>
#elif __has_include("/opt/homebrew/include/glpk.h")
#include "/opt/homebrew/include/glpk.h"
#elif __has_include("/usr/local/include/glpk.h")
#include "/usr/local/include/glpk.h"
#else
#error "glpk.h not found: on Debian/Ubuntu apt-get install libglpk-dev; on macOS brew install glpk"
#endif
#endif
