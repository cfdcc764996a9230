"""Documents the fake geoportal servers answer: an ArcGIS REST services
directory and WMS/WFS GetCapabilities. Everything here is sample data:
the layer names are of real kinds of municipal layers and the coordinates
fall on Quito, but no value is official (the descriptions say so).

``{base}`` in the XML documents is replaced by the server's own address.
"""

SAMPLE = "Datos de muestra para pruebas; no es cartografía oficial."

# ---------------------------------------------------------------- ArcGIS REST

ROOT = "/arcgis/rest/services"
MAPSERVER = f"{ROOT}/Territorio/Cartografia_Base/MapServer"
FEATURESERVER = f"{ROOT}/Movilidad/Paradas/FeatureServer"

MERCATOR = {"wkid": 102100, "latestWkid": 3857}


def _field(name, kind="esriFieldTypeString", alias=None):
    return {"name": name, "type": kind, "alias": alias or name}


def _layer(layer_id, name, geometry, extent, **more):
    layer = {
        "currentVersion": 11.1, "id": layer_id, "name": name, "type": "Feature Layer",
        "description": more.pop("description", SAMPLE), "geometryType": geometry,
        "copyrightText": more.pop("copyrightText", "MDMQ, Secretaría de Territorio (muestra)"),
        "parentLayerId": more.pop("parentLayerId", -1), "subLayers": [],
        "minScale": more.pop("minScale", 0), "maxScale": more.pop("maxScale", 0),
        "extent": extent, "fields": more.pop("fields", [_field("OBJECTID", "esriFieldTypeOID"), _field("nombre")]),
        "supportedQueryFormats": "JSON, geoJSON, PBF",
    }
    layer.update(more)
    return layer


TROLEBUS = _layer(1, "Estaciones del Trolebús (muestra)", "esriGeometryPoint",
                  {"xmin": -78.556, "ymin": -0.2958, "xmax": -78.4865, "ymax": -0.1545,
                   "spatialReference": {"wkid": 4326, "latestWkid": 4326}},
                  parentLayerId=0, minScale=50000, maxScale=500,
                  description="<p>Estaciones del Trolebús, de Quitumbe a El Labrador.</p><p>" + SAMPLE + "</p>")
VIAS = _layer(2, "Vías principales (muestra)", "esriGeometryPolyline",
              {"xmin": -8747485.59, "ymin": -36735.64, "xmax": -8727448.08, "ymax": -5565.98,
               "spatialReference": MERCATOR},
              parentLayerId=0, editingInfo={"lastEditDate": 1714564800000},
              fields=[_field("OBJECTID", "esriFieldTypeOID"), _field("nombre"), _field("tipo_via")])
ZONALES = _layer(3, "Administraciones zonales (muestra)", "esriGeometryPolygon",
                 {"xmin": -8749711.98, "ymin": -40075.28, "xmax": -8719655.71, "ymax": 3339.58,
                  "spatialReference": MERCATOR},
                 parentLayerId=0, description="Límites aproximados de las nueve administraciones zonales. "
                                              "Escala 1:25.000. " + SAMPLE)
GROUP = {"currentVersion": 11.1, "id": 0, "name": "Límites y vías", "type": "Group Layer",
         "description": "", "geometryType": None, "subLayers": [{"id": 1}, {"id": 2}, {"id": 3}],
         "extent": {"xmin": -8749711.98, "ymin": -40075.28, "xmax": -8719655.71, "ymax": 3339.58,
                    "spatialReference": MERCATOR}}
PARADAS = _layer(0, "Paradas de buses alimentadores (muestra)", "esriGeometryPoint",
                 {"xmin": 770000.0, "ymin": 9962000.0, "xmax": 790000.0, "ymax": 9990000.0,
                  "spatialReference": {"wkid": 32717, "latestWkid": 32717}},
                 description="Paradas de los buses alimentadores del Trolebús. " + SAMPLE,
                 copyrightText="Secretaría de Movilidad (muestra)", maxRecordCount=2000,
                 editingInfo={"lastEditDate": 1717171200000})


def _listing(layer):
    keys = ("id", "name", "parentLayerId", "minScale", "maxScale", "type", "geometryType")
    entry = {k: layer.get(k) for k in keys}
    entry.update(defaultVisibility=True, subLayerIds=[s["id"] for s in layer.get("subLayers", [])] or None)
    return entry


ARCGIS = {
    ROOT: {"currentVersion": 11.1, "folders": ["Movilidad", "Territorio"],
           "services": [{"name": "Geometry", "type": "GeometryServer"}]},
    f"{ROOT}/Territorio": {"currentVersion": 11.1, "folders": [],
                           "services": [{"name": "Territorio/Cartografia_Base", "type": "MapServer"},
                                        {"name": "Territorio/Ortofoto_2020", "type": "ImageServer"}]},
    f"{ROOT}/Movilidad": {"currentVersion": 11.1, "folders": [],
                          "services": [{"name": "Movilidad/Paradas", "type": "FeatureServer"}]},
    MAPSERVER: {
        "currentVersion": 11.1, "serviceDescription": "Cartografía base de muestra del DMQ. " + SAMPLE,
        "mapName": "Capas", "description": "", "copyrightText": "MDMQ (muestra)",
        "layers": [_listing(layer) for layer in (GROUP, TROLEBUS, VIAS, ZONALES)], "tables": [],
        "spatialReference": MERCATOR, "singleFusedMapCache": False,
        "documentInfo": {"Title": "Cartografía base del DMQ (muestra)", "Keywords": "cartografía,límites,DMQ"},
        "supportedExtensions": "KmlServer, WMSServer", "maxRecordCount": 1000,
        "supportedQueryFormats": "JSON, geoJSON, PBF",
    },
    f"{MAPSERVER}/0": GROUP, f"{MAPSERVER}/1": TROLEBUS, f"{MAPSERVER}/2": VIAS, f"{MAPSERVER}/3": ZONALES,
    FEATURESERVER: {
        "currentVersion": 11.1, "serviceDescription": "Paradas de muestra. " + SAMPLE, "hasVersionedData": False,
        "supportedQueryFormats": "JSON, geoJSON, PBF", "maxRecordCount": 2000,
        "layers": [_listing(PARADAS)], "tables": [{"id": 1, "name": "Horarios"}],
        "spatialReference": {"wkid": 32717, "latestWkid": 32717},
        "documentInfo": {"Title": "", "Keywords": "movilidad; buses alimentadores"},
    },
    f"{FEATURESERVER}/0": PARADAS,
    f"{FEATURESERVER}/1": {"currentVersion": 11.1, "id": 1, "name": "Horarios", "type": "Table", "fields": []},
}

# ---------------------------------------------------------------- WMS

WMS_130 = """<?xml version="1.0" encoding="UTF-8"?>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms" xmlns:xlink="http://www.w3.org/1999/xlink">
  <Service>
    <Name>WMS</Name>
    <Title>Geoportal DMQ, WMS (muestra)</Title>
    <Abstract>Servicio de mapas de muestra para pruebas.</Abstract>
    <KeywordList><Keyword>WMS</Keyword><Keyword>Quito</Keyword></KeywordList>
    <OnlineResource xlink:type="simple" xlink:href="{base}/geoserver/wms"/>
    <ContactInformation><ContactPersonPrimary><ContactPerson/>
      <ContactOrganization>Secretaría de Territorio, Hábitat y Vivienda</ContactOrganization>
    </ContactPersonPrimary></ContactInformation>
  </Service>
  <Capability>
    <Request><GetCapabilities><Format>text/xml</Format><DCPType><HTTP><Get>
      <OnlineResource xlink:type="simple" xlink:href="{base}/geoserver/wms?"/></Get></HTTP></DCPType></GetCapabilities>
    </Request>
    <Exception><Format>XML</Format></Exception>
    <Layer>
      <Title>Geoportal DMQ</Title>
      <CRS>EPSG:4326</CRS><CRS>EPSG:3857</CRS><CRS>CRS:84</CRS>
      <EX_GeographicBoundingBox><westBoundLongitude>-78.8</westBoundLongitude><eastBoundLongitude>-78.2</eastBoundLongitude>
        <southBoundLatitude>-0.45</southBoundLatitude><northBoundLatitude>0.2</northBoundLatitude></EX_GeographicBoundingBox>
      <Layer queryable="1">
        <Name>quito:parroquias</Name>
        <Title>Parroquias del DMQ (muestra)</Title>
        <Abstract>Límites aproximados de las parroquias urbanas y rurales. Escala 1:25.000. Datos de muestra.</Abstract>
        <KeywordList><Keyword>parroquias</Keyword><Keyword>límites</Keyword></KeywordList>
        <CRS>EPSG:32717</CRS>
        <EX_GeographicBoundingBox><westBoundLongitude>-78.6</westBoundLongitude><eastBoundLongitude>-78.33</eastBoundLongitude>
          <southBoundLatitude>-0.36</southBoundLatitude><northBoundLatitude>0.03</northBoundLatitude></EX_GeographicBoundingBox>
        <BoundingBox CRS="EPSG:32717" minx="766000" miny="9960000" maxx="796000" maxy="10003300"/>
        <Attribution><Title>Secretaría de Territorio (muestra)</Title></Attribution>
        <MinScaleDenominator>1000</MinScaleDenominator><MaxScaleDenominator>250000</MaxScaleDenominator>
      </Layer>
      <Layer>
        <Name>quito:movilidad</Name>
        <Title>Movilidad (grupo)</Title>
        <Layer queryable="1">
          <Name>quito:ciclovias</Name>
          <Title>Ciclovías (muestra)</Title>
          <Abstract>Trazado aproximado de las ciclovías. Datos de muestra.</Abstract>
          <EX_GeographicBoundingBox><westBoundLongitude>-78.52</westBoundLongitude><eastBoundLongitude>-78.47</eastBoundLongitude>
            <southBoundLatitude>-0.24</southBoundLatitude><northBoundLatitude>-0.12</northBoundLatitude></EX_GeographicBoundingBox>
        </Layer>
      </Layer>
    </Layer>
  </Capability>
</WMS_Capabilities>
"""

WMS_111 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE WMT_MS_Capabilities SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd">
<WMT_MS_Capabilities version="1.1.1">
  <Service><Name>OGC:WMS</Name><Title>Geoportal DMQ, WMS 1.1.1 (muestra)</Title></Service>
  <Capability>
    <Layer>
      <Title>Geoportal DMQ</Title>
      <SRS>EPSG:4326 EPSG:900913</SRS>
      <Layer queryable="1">
        <Name>quito:parroquias</Name>
        <Title>Parroquias del DMQ (muestra)</Title>
        <KeywordList><Keyword>parroquias</Keyword></KeywordList>
        <SRS>EPSG:32717</SRS>
        <LatLonBoundingBox minx="-78.6" miny="-0.36" maxx="-78.33" maxy="0.03"/>
      </Layer>
    </Layer>
  </Capability>
</WMT_MS_Capabilities>
"""

# ---------------------------------------------------------------- WFS

WFS_200 = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0"
    xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:quito="https://geoportal.quito.gob.ec/quito">
  <ows:ServiceIdentification>
    <ows:Title>Geoportal DMQ, WFS (muestra)</ows:Title>
    <ows:Abstract>Servicio de entidades de muestra para pruebas.</ows:Abstract>
    <ows:Keywords><ows:Keyword>WFS</ows:Keyword><ows:Keyword>Quito</ows:Keyword></ows:Keywords>
    <ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>
  </ows:ServiceIdentification>
  <ows:ServiceProvider><ows:ProviderName>Municipio del Distrito Metropolitano de Quito</ows:ProviderName>
  </ows:ServiceProvider>
  <wfs:FeatureTypeList>
    <wfs:FeatureType>
      <wfs:Name>quito:parroquias</wfs:Name>
      <wfs:Title>Parroquias del DMQ (muestra)</wfs:Title>
      <wfs:Abstract>Límites aproximados de las parroquias. Datos de muestra.</wfs:Abstract>
      <ows:Keywords><ows:Keyword>parroquias</ows:Keyword><ows:Keyword>límites</ows:Keyword></ows:Keywords>
      <wfs:DefaultCRS>urn:ogc:def:crs:EPSG::32717</wfs:DefaultCRS>
      <wfs:OtherCRS>urn:ogc:def:crs:EPSG::4326</wfs:OtherCRS>
      <ows:WGS84BoundingBox><ows:LowerCorner>-78.6 -0.36</ows:LowerCorner>
        <ows:UpperCorner>-78.33 0.03</ows:UpperCorner></ows:WGS84BoundingBox>
    </wfs:FeatureType>
    <wfs:FeatureType>
      <wfs:Name>quito:paradas_trolebus</wfs:Name>
      <wfs:Title>Paradas del Trolebús (muestra)</wfs:Title>
      <wfs:DefaultCRS>urn:ogc:def:crs:EPSG::4326</wfs:DefaultCRS>
      <ows:WGS84BoundingBox><ows:LowerCorner>-78.556 -0.2958</ows:LowerCorner>
        <ows:UpperCorner>-78.4865 -0.1545</ows:UpperCorner></ows:WGS84BoundingBox>
    </wfs:FeatureType>
  </wfs:FeatureTypeList>
</wfs:WFS_Capabilities>
"""

WFS_110 = """<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs" xmlns:ows="http://www.opengis.net/ows">
  <ows:ServiceIdentification><ows:Title>Geoportal DMQ, WFS 1.1.0 (muestra)</ows:Title></ows:ServiceIdentification>
  <wfs:FeatureTypeList>
    <wfs:FeatureType>
      <wfs:Name>quito:parroquias</wfs:Name>
      <wfs:Title>Parroquias del DMQ (muestra)</wfs:Title>
      <wfs:DefaultSRS>EPSG:32717</wfs:DefaultSRS>
      <ows:WGS84BoundingBox><ows:LowerCorner>-78.6 -0.36</ows:LowerCorner>
        <ows:UpperCorner>-78.33 0.03</ows:UpperCorner></ows:WGS84BoundingBox>
    </wfs:FeatureType>
  </wfs:FeatureTypeList>
</wfs:WFS_Capabilities>
"""


def _schema(type_name, geometry, fields):
    elements = "".join(f'<xsd:element name="{f}" type="xsd:string" minOccurs="0" nillable="true"/>' for f in fields)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:quito="https://geoportal.quito.gob.ec/quito" elementFormDefault="qualified"
    targetNamespace="https://geoportal.quito.gob.ec/quito">
  <xsd:complexType name="{type_name}Type"><xsd:complexContent><xsd:extension base="gml:AbstractFeatureType">
    <xsd:sequence><xsd:element name="geom" type="gml:{geometry}" minOccurs="0" nillable="true"/>{elements}
    </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>
  <xsd:element name="{type_name}" type="quito:{type_name}Type" substitutionGroup="gml:AbstractFeature"/>
</xsd:schema>
"""


DESCRIBE = {
    "quito:parroquias": _schema("parroquias", "MultiSurfacePropertyType", ["nombre", "codigo", "tipo"]),
    "quito:paradas_trolebus": _schema("paradas_trolebus", "PointPropertyType", ["codigo", "nombre"]),
}

# ---------------------------------------------------------------- unsafe XML

XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE WMS_Capabilities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms">
  <Service><Name>WMS</Name><Title>&xxe;</Title></Service>
  <Capability><Layer><Name>x</Name><Title>&xxe;</Title></Layer></Capability>
</WMS_Capabilities>
"""

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"><Service><Title>&lol2;</Title></Service>
</WMS_Capabilities>
"""
