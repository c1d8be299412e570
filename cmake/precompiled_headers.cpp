// The one source of the targets that own the precompiled headers (cmake/precompiled_headers.cmake):
// CMake builds a target's precompiled header only for a target with something to compile.
