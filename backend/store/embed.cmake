# Turn text files into one NUL-terminated C array (their contents one after the other):
# cmake -DIN="a.lua|b.lua" -DOUT=... -DNAME=... -P embed.cmake
# Only the first file's first line may be a "#!lua" line (Redis reads the script's flags
# there): such a line of a later file is left out.
string(REPLACE "|" ";" IN "${IN}")
set(bytes "")
set(first TRUE)
foreach(file IN LISTS IN)
  file(READ ${file} text)
  if(NOT first)
    string(REGEX REPLACE "^#![^\n]*\n" "" text "${text}")
  endif()
  set(first FALSE)
  string(HEX "${text}" hex)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," part "${hex}")
  string(APPEND bytes "${part}")
endforeach()
file(WRITE ${OUT} "/* generated from ${IN}; do not edit */\nconst char ${NAME}[] = {${bytes}0x00};\n")
