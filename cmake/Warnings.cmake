# SPDX-License-Identifier: MIT
# wst_target_defaults(target): the project's warning level for one target (the include root is
# the repository's, set on wst_core).
function(wst_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor)
  # GCC spells the local-only shadow warning -Wshadow=local; clang (fuzz builds) has no such
  # option and would warn about it on every file.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local)
  else()
    target_compile_options(${target} PRIVATE -Wshadow-uncaptured-local)
  endif()
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
