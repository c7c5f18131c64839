# Installing and packaging (docs/operations.md, "Run a node with systemd"): `cmake --install`
# puts the binaries (node, CLI, EPCIS gateway) in bin/ and the systemd unit in
# lib/systemd/system/; `cpack` (in the build dir) makes a Debian package of them with its
# dependencies computed by dpkg-shlibdeps.
install(TARGETS shipledgerd shipledger shipledger-gateway RUNTIME DESTINATION bin)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/package/shipledgerd.service
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
              ${PROJECT_SOURCE_DIR}/docs/api.md ${PROJECT_SOURCE_DIR}/docs/gateway.md
        DESTINATION share/doc/shipledger)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shipledger)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "shipledger")
set(CPACK_PACKAGE_CONTACT "shipledger maintainers <maintainers@shipledger.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "permissioned ledger of cross-border shipment events: node daemon and operator CLI")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/package/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
