# SHIPLEDGER_SANITIZE=address|undefined|thread|address,undefined
set(SHIPLEDGER_SANITIZE "" CACHE STRING "Sanitizers to build with (address, undefined, thread)")
if(SHIPLEDGER_SANITIZE)
  add_compile_options(-fsanitize=${SHIPLEDGER_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SHIPLEDGER_SANITIZE})
endif()
