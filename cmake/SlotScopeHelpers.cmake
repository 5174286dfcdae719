# One small helper per kind of target (STYLE.md "Layout").

# Compile options shared by lib/ and app/: strict warnings, no implicit casts from ASCII.
function(slotscope_strict target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING QT_USE_QSTRINGBUILDER
        QT_NO_CAST_TO_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()

# slotscope_add_library(<layer> SOURCES ... DEPENDS ...)
# Creates the static library slotscope_<layer>; headers are included as <layer/file.h>.
function(slotscope_add_library layer)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    set(target slotscope_${layer})
    qt_add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
    target_link_libraries(${target} PUBLIC ${ARG_DEPENDS})
    slotscope_strict(${target})
endfunction()

# slotscope_add_test(<name> SOURCES ... LIBS ... [GUI] [WRAPPER command...])
# One executable per unit, registered with ctest; runs offscreen and knows the fixtures dir.
# WRAPPER runs the test program through a command (e.g. one that starts a service first).
# Settings go to a config directory of the test's own under the build tree, never the user's.
function(slotscope_add_test name)
    cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;WRAPPER" ${ARGN})
    qt_add_executable(tst_${name} ${ARG_SOURCES})
    target_link_libraries(tst_${name} PRIVATE Qt6::Test ${ARG_LIBS})
    target_compile_definitions(tst_${name} PRIVATE
        SLOTSCOPE_FIXTURES_DIR="${SLOTSCOPE_FIXTURES_DIR}"
        SLOTSCOPE_BINARY_DIR="${PROJECT_BINARY_DIR}")
    set_target_properties(tst_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
    add_test(NAME ${name} COMMAND ${ARG_WRAPPER} $<TARGET_FILE:tst_${name}>)
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SLOTSCOPE_FIXTURES_DIR=${SLOTSCOPE_FIXTURES_DIR};XDG_CONFIG_HOME=${PROJECT_BINARY_DIR}/tests/xdg-config/${name}")
endfunction()
