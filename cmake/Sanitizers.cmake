# OPEN311_SANITIZE="address;undefined" or "thread" adds the sanitizer flags to every target.
if(OPEN311_SANITIZE)
    string(REPLACE ";" "," _open311_sanitizers "${OPEN311_SANITIZE}")
    add_compile_options(-fsanitize=${_open311_sanitizers} -fno-omit-frame-pointer)
    if("undefined" IN_LIST OPEN311_SANITIZE)
        add_compile_options(-fno-sanitize-recover=undefined)
    endif()
    if("thread" IN_LIST OPEN311_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # gcc warns at every atomic_thread_fence in Asio's headers (gcc's TSan does not model
        # fences); the fences are Asio's, not ours. clang's TSan has no such gap.
        add_compile_options(-Wno-tsan)
    endif()
    add_link_options(-fsanitize=${_open311_sanitizers})
endif()
