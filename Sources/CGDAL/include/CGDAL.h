// GDAL/OGR's C API, loaded on first use rather than at process start.
//
// libgdal pulls in about a hundred shared libraries; linking it made every `portrait` command pay
// about 0.1 s in the dynamic loader, even the ones that never read a foreign file. This target
// declares GDAL's functions from its own headers and defines each one Portrait calls as a small
// function that forwards to the real one, found with dlopen/dlsym the first time
// `portrait_gdal_load` is called. Call it (it is cheap after the first time) before any GDAL
// function; it returns NULL when GDAL is ready, else a message saying why not.
#pragma once
#if __has_include(<gdal/gdal.h>)
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>
#include <gdal/cpl_conv.h>
#include <gdal/cpl_error.h>
#else
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#endif

/// Loads libgdal once (thread-safe): NULL when ready, else why it could not be loaded.
/// `PORTRAIT_LIBGDAL` names the library file to load instead of the usual names.
const char *portrait_gdal_load(void);

/// 1 when GDAL's network access was turned off at load (HTTP fetch callback, `/vsicurl/` extensions, PROJ network).
int portrait_gdal_network_locked(void);
