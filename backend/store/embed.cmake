# Turn text files into one NUL-terminated C array (their contents one after the other):
# cmake -DIN="a.lua|b.lua" -DOUT=... -DNAME=... -P embed.cmake
string(REPLACE "|" ";" IN "${IN}")
set(bytes "")
foreach(file IN LISTS IN)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," part "${hex}")
  string(APPEND bytes "${part}")
endforeach()
file(WRITE ${OUT} "/* generated from ${IN}; do not edit */\nconst char ${NAME}[] = {${bytes}0x00};\n")
