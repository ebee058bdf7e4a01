# SPDX-License-Identifier: MIT
# wst_target_defaults(target): the project's warning level and include root for one target.
function(wst_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor)
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
