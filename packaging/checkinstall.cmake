# ctest install_layout: cmake --install into PREFIX, then check the files a
# desktop needs are where the freedesktop.org and FHS conventions put them.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
    RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${result}")
endif()
set(expected
    bin/slotscope
    bin/slotscope-refserver
    share/applications/${APP_ID}.desktop
    share/metainfo/${APP_ID}.metainfo.xml
    share/icons/hicolor/scalable/apps/${APP_ID}.svg
    share/slotscope/translations/slotscope_de.qm
    share/slotscope/translations/slotscope_en.qm)
foreach(size 16 22 24 32 48 64 128 256 512)
    list(APPEND expected share/icons/hicolor/${size}x${size}/apps/${APP_ID}.png)
endforeach()
set(missing)
foreach(file ${expected})
    if(NOT EXISTS ${PREFIX}/${file})
        list(APPEND missing ${file})
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "not installed: ${missing}")
endif()
# Nothing else: no static libraries, headers or test programs in the package.
file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
list(LENGTH installed count)
list(LENGTH expected wanted)
if(NOT count EQUAL wanted)
    list(REMOVE_ITEM installed ${expected})
    message(FATAL_ERROR "unexpected files installed: ${installed}")
endif()
file(REMOVE_RECURSE ${PREFIX})
message(STATUS "install layout: ${count} files where expected")
