# OPEN311_SANITIZE="address;undefined" or "thread" adds the sanitizer flags to every target.
if(OPEN311_SANITIZE)
    string(REPLACE ";" "," _open311_sanitizers "${OPEN311_SANITIZE}")
    add_compile_options(-fsanitize=${_open311_sanitizers} -fno-omit-frame-pointer)
    if("undefined" IN_LIST OPEN311_SANITIZE)
        add_compile_options(-fno-sanitize-recover=undefined)
    endif()
    add_link_options(-fsanitize=${_open311_sanitizers})
endif()
