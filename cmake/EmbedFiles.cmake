# open311_embed_files(OUTPUT <file.cpp> FUNCTION <name> FILES <f1> <f2> ...)
# Generates a translation unit defining
#   std::vector<open311::EmbeddedFile> <name>();
# with each file's base name and bytes, so that migrations and the demo catalogue
# need no runtime path lookup.
function(open311_embed_files)
    cmake_parse_arguments(ARG "" "OUTPUT;FUNCTION" "FILES" ${ARGN})
    set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files_script.cmake")
    add_custom_command(
        OUTPUT "${ARG_OUTPUT}"
        COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${ARG_OUTPUT}" "-DFUNCTION=${ARG_FUNCTION}"
                "-DFILES=${ARG_FILES}" -P "${script}"
        DEPENDS ${ARG_FILES} "${script}"
        COMMENT "Embedding ${ARG_FUNCTION}"
        VERBATIM)
endfunction()
