# One small helper per kind of target (STYLE.md "Layout").

# Compile options shared by lib/ and app/: strict warnings, no implicit casts from ASCII.
function(slotscope_strict target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING QT_USE_QSTRINGBUILDER
        QT_NO_CAST_TO_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()

# Third-party headers that only a layer's own sources may include: a public
# header that includes one of these fails the configure step (they live in
# /usr/include, so the include path alone cannot keep them out).
set(SLOTSCOPE_PRIVATE_THIRD_PARTY_HEADERS simdjson.h zstd.h)

# slotscope_add_library(<layer> SOURCES ... [PRIVATE_HEADERS ...] DEPENDS ... [PRIVATE_DEPENDS ...])
# Creates the static library slotscope_<layer>; headers are included as "<layer>/file.h".
#
# Layering (DESIGN.md §2) is enforced by the include path: no target sees lib/
# as a whole. Each layer gets two generated directories in the build tree:
#   include/<layer>/public/<layer>/   a symlink per public header (every .h in
#                                     SOURCES that is not in PRIVATE_HEADERS);
#                                     the PUBLIC include dir, so a target sees a
#                                     layer's public headers only if it links
#                                     that layer (directly or through DEPENDS)
#   include/<layer>/private/<layer>   a symlink to lib/<layer> itself; PRIVATE to
#                                     the library, so its own sources see all
#                                     of their layer (tests of a private class
#                                     ask for it: slotscope_use_private_headers)
# DEPENDS are PUBLIC (what the layer's public headers need), PRIVATE_DEPENDS
# are linked but not exposed (simdjson, zstd).
function(slotscope_add_library layer)
    cmake_parse_arguments(ARG "" "" "SOURCES;PRIVATE_HEADERS;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
    set(target slotscope_${layer})
    set(source_dir ${CMAKE_CURRENT_SOURCE_DIR})
    set(include_root ${PROJECT_BINARY_DIR}/include/${layer})

    foreach(header ${ARG_PRIVATE_HEADERS})
        if(NOT header IN_LIST ARG_SOURCES)
            message(FATAL_ERROR "${target}: private header ${header} is not in SOURCES")
        endif()
    endforeach()

    # Public headers: recreated on every configure so a header that turned
    # private (or was removed) disappears from the public directory.
    file(REMOVE_RECURSE ${include_root})
    file(MAKE_DIRECTORY ${include_root}/public/${layer} ${include_root}/private)
    foreach(file ${ARG_SOURCES})
        if(NOT file MATCHES "\\.h$" OR file IN_LIST ARG_PRIVATE_HEADERS)
            continue()
        endif()
        file(STRINGS ${source_dir}/${file} includes REGEX "^[ \t]*#[ \t]*include")
        foreach(third_party ${SLOTSCOPE_PRIVATE_THIRD_PARTY_HEADERS})
            if(includes MATCHES "[<\"/]${third_party}[>\"]")
                message(FATAL_ERROR "${target}: public header ${file} includes ${third_party}; "
                    "keep it in a .cpp or list the header in PRIVATE_HEADERS")
            endif()
        endforeach()
        file(CREATE_LINK ${source_dir}/${file} ${include_root}/public/${layer}/${file} SYMBOLIC)
    endforeach()
    file(CREATE_LINK ${source_dir} ${include_root}/private/${layer} SYMBOLIC)

    qt_add_library(${target} STATIC ${ARG_SOURCES})
    # Private first: the layer's own headers always resolve through one path.
    target_include_directories(${target}
        PRIVATE ${include_root}/private
        PUBLIC $<BUILD_INTERFACE:${include_root}/public>)
    target_link_libraries(${target} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
    set_property(TARGET ${target} PROPERTY SLOTSCOPE_PRIVATE_INCLUDE_DIR ${include_root}/private)
    slotscope_strict(${target})
endfunction()

# slotscope_use_private_headers(<target> <layer>...)
# Lets a test (or fuzz driver) include the private headers of the given layers,
# for unit-testing a class that other layers must not use.
function(slotscope_use_private_headers target)
    foreach(layer ${ARGN})
        get_target_property(dir slotscope_${layer} SLOTSCOPE_PRIVATE_INCLUDE_DIR)
        target_include_directories(${target} PRIVATE ${dir})
    endforeach()
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
