// Forwarding definitions of the GDAL functions Portrait calls; see include/CGDAL.h.
#include "CGDAL.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if __has_include(<gdal/cpl_http.h>)
#include <gdal/cpl_http.h>
#else
#include <cpl_http.h>
#endif

#define PORTRAIT_GDAL_FUNCTIONS(X) \
    X(CPLErrorReset) X(CPLGetLastErrorMsg) X(CPLSetErrorHandler) X(CPLSetThreadLocalConfigOption) \
    X(CPLQuietErrorHandler) X(GDALAllRegister) X(GDALClose) X(GDALDatasetGetLayer) X(GDALDatasetGetLayerByName) \
    X(GDALDatasetGetLayerCount) X(GDALGetDatasetDriver) X(GDALGetDriverShortName) X(GDALOpenEx) X(GDALVersionInfo) \
    X(OGR_FD_GetFieldCount) X(OGR_FD_GetFieldDefn) X(OGR_FD_GetGeomFieldCount) X(OGR_F_Destroy) \
    X(OGR_F_GetFieldAsDouble) X(OGR_F_GetFieldAsInteger64) X(OGR_F_GetFieldAsString) X(OGR_F_GetGeometryRef) \
    X(OGR_F_IsFieldSetAndNotNull) X(OGR_Fld_GetNameRef) X(OGR_Fld_GetType) X(OGR_G_DestroyGeometry) \
    X(OGR_G_ExportToIsoWkb) X(OGR_G_GetLinearGeometry) X(OGR_G_HasCurveGeometry) X(OGR_G_WkbSizeEx) \
    X(OGR_L_GetLayerDefn) X(OGR_L_GetName) X(OGR_L_GetNextFeature) X(OGR_L_GetSpatialRef) X(OGR_L_ResetReading) \
    X(OSRExportToWkt) X(OSRGetAuthorityCode) X(OSRGetAuthorityName) X(VSIFree)

enum {
#define SLOT(name) slot_##name,
    PORTRAIT_GDAL_FUNCTIONS(SLOT)
#undef SLOT
    slot_count
};

static const char *const names[slot_count] = {
#define NAME(name) #name,
    PORTRAIT_GDAL_FUNCTIONS(NAME)
#undef NAME
};

// Written once under pthread_once, read only afterwards.
static void *table[slot_count];
static char failure[512];
static int ready;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// Every HTTP fetch GDAL would make (a GeoJSON `crs` link, an SRS given as a URL, a schema) answers this error
// instead: Portrait reads only the bytes it was given.
static CPLHTTPResult *refuse_fetch(const char *url, CSLConstList options, GDALProgressFunc progress, void *progress_arg,
                                   CPLHTTPFetchWriteFunc write, void *write_arg, void *user) {
    (void)url; (void)options; (void)progress; (void)progress_arg; (void)write; (void)write_arg; (void)user;
    void *(*calloc_)(size_t, size_t) = (void *(*)(size_t, size_t))user;
    CPLHTTPResult *r = calloc_(1, sizeof *r);
    if (!r) return NULL;
    static const char message[] = "accès réseau désactivé par Portrait";
    r->nStatus = 1;
    r->pszErrBuf = calloc_(1, sizeof message);
    if (r->pszErrBuf) memcpy(r->pszErrBuf, message, sizeof message);
    return r;
}

// GDAL's and PROJ's network access off for the whole process, before any file is opened: HTTP fetches refused
// (`CPLHTTPSetFetchCallback`), no `/vsicurl/` file considered to exist (`CPL_VSIL_CURL_ALLOWED_EXTENSIONS`), no
// PROJ grid fetched (`OSRSetPROJEnableNetwork`). These functions are optional (older GDAL 3): each is used when
// present, and `portrait_gdal_network_locked` says whether all were.
static int network_locked;
static void lock_network(void *lib) {
    void (*set_config)(const char *, const char *) = (void (*)(const char *, const char *))dlsym(lib, "CPLSetConfigOption");
    void (*set_fetch)(CPLHTTPFetchCallbackFunc, void *) = (void (*)(CPLHTTPFetchCallbackFunc, void *))dlsym(lib, "CPLHTTPSetFetchCallback");
    void (*proj_network)(int) = (void (*)(int))dlsym(lib, "OSRSetPROJEnableNetwork");
    void *vsi_calloc = dlsym(lib, "VSICalloc");
    if (set_config) {
        set_config("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".portrait-aucun-acces-reseau");
        set_config("GDAL_HTTP_MAX_RETRY", "0");
        set_config("PROJ_NETWORK", "OFF");
    }
    if (set_fetch && vsi_calloc) set_fetch(refuse_fetch, vsi_calloc);
    if (proj_network) proj_network(0);
    network_locked = set_config && set_fetch && vsi_calloc && proj_network;
}

int portrait_gdal_network_locked(void) { return network_locked; }

static void load(void) {
    // The development link first (where Portrait was built), then the sonames of GDAL 3.x releases, newest first.
    const char *override = getenv("PORTRAIT_LIBGDAL");
    const char *candidates[] = {
        override, "libgdal.so", "libgdal.so.38", "libgdal.so.37", "libgdal.so.36", "libgdal.so.35", "libgdal.so.34",
        "libgdal.so.33", "libgdal.so.32", "libgdal.so.31", "libgdal.so.30", "libgdal.so.29", "libgdal.so.28",
        "libgdal.so.27", "libgdal.so.26", "libgdal.dylib",
    };
    void *lib = NULL;
    const char *first_error = NULL;
    for (size_t i = override ? 0 : 1; i < sizeof candidates / sizeof *candidates && !lib; i++) {
        lib = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib && !first_error) first_error = dlerror();
        if (override) break;
    }
    if (!lib) {
        snprintf(failure, sizeof failure, "GDAL introuvable (%s) : installez libgdal (Debian : apt-get install gdal-bin libgdal-dev)",
                 first_error ? first_error : "?");
        return;
    }
    for (int i = 0; i < slot_count; i++) {
        table[i] = dlsym(lib, names[i]);
        if (!table[i]) {
            snprintf(failure, sizeof failure, "GDAL chargé mais la fonction %s y manque (GDAL 3 attendu)", names[i]);
            return;
        }
    }
    lock_network(lib);
    ready = 1;
}

const char *portrait_gdal_load(void) {
    pthread_once(&once, load);
    return ready ? NULL : failure;
}

// The real function behind `name`, with its own declared type.
#define REAL(name) ((__typeof__(&name))table[slot_##name])

void CPLErrorReset(void) { REAL(CPLErrorReset)(); }
const char *CPLGetLastErrorMsg(void) { return REAL(CPLGetLastErrorMsg)(); }
CPLErrorHandler CPLSetErrorHandler(CPLErrorHandler h) { return REAL(CPLSetErrorHandler)(h); }
void CPLSetThreadLocalConfigOption(const char *k, const char *v) { REAL(CPLSetThreadLocalConfigOption)(k, v); }
void CPLQuietErrorHandler(CPLErr e, CPLErrorNum n, const char *m) { REAL(CPLQuietErrorHandler)(e, n, m); }
void GDALAllRegister(void) { REAL(GDALAllRegister)(); }
void GDALClose(GDALDatasetH d) { REAL(GDALClose)(d); }
OGRLayerH GDALDatasetGetLayer(GDALDatasetH d, int i) { return REAL(GDALDatasetGetLayer)(d, i); }
OGRLayerH GDALDatasetGetLayerByName(GDALDatasetH d, const char *n) { return REAL(GDALDatasetGetLayerByName)(d, n); }
int GDALDatasetGetLayerCount(GDALDatasetH d) { return REAL(GDALDatasetGetLayerCount)(d); }
GDALDriverH GDALGetDatasetDriver(GDALDatasetH d) { return REAL(GDALGetDatasetDriver)(d); }
const char *GDALGetDriverShortName(GDALDriverH d) { return REAL(GDALGetDriverShortName)(d); }
GDALDatasetH GDALOpenEx(const char *f, unsigned int flags, const char *const *drivers, const char *const *options,
                        const char *const *siblings) {
    return REAL(GDALOpenEx)(f, flags, drivers, options, siblings);
}
const char *GDALVersionInfo(const char *r) { return REAL(GDALVersionInfo)(r); }
int OGR_FD_GetFieldCount(OGRFeatureDefnH d) { return REAL(OGR_FD_GetFieldCount)(d); }
OGRFieldDefnH OGR_FD_GetFieldDefn(OGRFeatureDefnH d, int i) { return REAL(OGR_FD_GetFieldDefn)(d, i); }
int OGR_FD_GetGeomFieldCount(OGRFeatureDefnH d) { return REAL(OGR_FD_GetGeomFieldCount)(d); }
void OGR_F_Destroy(OGRFeatureH f) { REAL(OGR_F_Destroy)(f); }
double OGR_F_GetFieldAsDouble(OGRFeatureH f, int i) { return REAL(OGR_F_GetFieldAsDouble)(f, i); }
GIntBig OGR_F_GetFieldAsInteger64(OGRFeatureH f, int i) { return REAL(OGR_F_GetFieldAsInteger64)(f, i); }
const char *OGR_F_GetFieldAsString(OGRFeatureH f, int i) { return REAL(OGR_F_GetFieldAsString)(f, i); }
OGRGeometryH OGR_F_GetGeometryRef(OGRFeatureH f) { return REAL(OGR_F_GetGeometryRef)(f); }
int OGR_F_IsFieldSetAndNotNull(OGRFeatureH f, int i) { return REAL(OGR_F_IsFieldSetAndNotNull)(f, i); }
const char *OGR_Fld_GetNameRef(OGRFieldDefnH d) { return REAL(OGR_Fld_GetNameRef)(d); }
OGRFieldType OGR_Fld_GetType(OGRFieldDefnH d) { return REAL(OGR_Fld_GetType)(d); }
void OGR_G_DestroyGeometry(OGRGeometryH g) { REAL(OGR_G_DestroyGeometry)(g); }
OGRErr OGR_G_ExportToIsoWkb(OGRGeometryH g, OGRwkbByteOrder o, unsigned char *b) { return REAL(OGR_G_ExportToIsoWkb)(g, o, b); }
OGRGeometryH OGR_G_GetLinearGeometry(OGRGeometryH g, double step, CSLConstList o) { return REAL(OGR_G_GetLinearGeometry)(g, step, o); }
int OGR_G_HasCurveGeometry(OGRGeometryH g, int nonLinear) { return REAL(OGR_G_HasCurveGeometry)(g, nonLinear); }
size_t OGR_G_WkbSizeEx(OGRGeometryH g) { return REAL(OGR_G_WkbSizeEx)(g); }
OGRFeatureDefnH OGR_L_GetLayerDefn(OGRLayerH l) { return REAL(OGR_L_GetLayerDefn)(l); }
const char *OGR_L_GetName(OGRLayerH l) { return REAL(OGR_L_GetName)(l); }
OGRFeatureH OGR_L_GetNextFeature(OGRLayerH l) { return REAL(OGR_L_GetNextFeature)(l); }
OGRSpatialReferenceH OGR_L_GetSpatialRef(OGRLayerH l) { return REAL(OGR_L_GetSpatialRef)(l); }
void OGR_L_ResetReading(OGRLayerH l) { REAL(OGR_L_ResetReading)(l); }
OGRErr OSRExportToWkt(OGRSpatialReferenceH s, char **w) { return REAL(OSRExportToWkt)(s, w); }
const char *OSRGetAuthorityCode(OGRSpatialReferenceH s, const char *k) { return REAL(OSRGetAuthorityCode)(s, k); }
const char *OSRGetAuthorityName(OGRSpatialReferenceH s, const char *k) { return REAL(OSRGetAuthorityName)(s, k); }
void VSIFree(void *p) { REAL(VSIFree)(p); }
