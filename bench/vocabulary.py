"""Spanish vocabularies for the sample-data generator in :mod:`bench.datagen`.

Every name here refers to the Municipio del Distrito Metropolitano de Quito:
its dependencies, parishes, transport systems and the themes its open-data
portal publishes. The data built from them is *sample* data, labelled as such.
"""

#: (name, title, categories) in publishing rank: the first publishes most.
ORGANIZATION_SPECS = (
    ("secretaria-general-de-planificacion", "Secretaría General de Planificación",
     ("presupuesto", "territorio", "participacion", "transparencia")),
    ("secretaria-de-ambiente", "Secretaría de Ambiente", ("ambiente", "residuos", "agua")),
    ("secretaria-de-movilidad", "Secretaría de Movilidad", ("movilidad", "transporte")),
    ("empresa-publica-metropolitana-de-agua-potable-y-saneamiento",
     "Empresa Pública Metropolitana de Agua Potable y Saneamiento (EPMAPS)",
     ("agua",)),
    ("secretaria-de-salud", "Secretaría de Salud", ("salud", "social")),
    ("secretaria-general-de-seguridad-y-gobernabilidad", "Secretaría General de Seguridad y Gobernabilidad",
     ("seguridad", "riesgos")),
    ("secretaria-de-territorio-habitat-y-vivienda", "Secretaría de Territorio, Hábitat y Vivienda", ("territorio",)),
    ("epmmop", "Empresa Pública Metropolitana de Movilidad y Obras Públicas (EPMMOP)", ("movilidad", "territorio")),
    ("metro-de-quito", "Empresa Pública Metropolitana Metro de Quito", ("transporte",)),
    ("empresa-publica-metropolitana-de-transporte-de-pasajeros",
     "Empresa Pública Metropolitana de Transporte de Pasajeros de Quito",
     ("transporte",)),
    ("secretaria-de-educacion-recreacion-y-deporte", "Secretaría de Educación, Recreación y Deporte", ("educacion",)),
    ("direccion-metropolitana-financiera", "Dirección Metropolitana Financiera", ("presupuesto",)),
    ("alcaldia", "Alcaldía Metropolitana de Quito", ("transparencia", "participacion", "presupuesto")),
    ("concejo-metropolitano", "Concejo Metropolitano de Quito", ("transparencia", "participacion")),
    ("quito-turismo", "Empresa Pública Metropolitana de Gestión de Destino Turístico (Quito Turismo)", ("turismo",)),
    ("secretaria-de-cultura", "Secretaría de Cultura", ("cultura",)),
    ("instituto-metropolitano-de-patrimonio", "Instituto Metropolitano de Patrimonio", ("cultura", "territorio")),
    ("agencia-metropolitana-de-control", "Agencia Metropolitana de Control", ("seguridad", "economia", "territorio")),
    ("agencia-metropolitana-de-transito", "Agencia Metropolitana de Tránsito", ("movilidad",)),
    ("emaseo", "Empresa Pública Metropolitana de Aseo (EMASEO EP)", ("residuos",)),
    ("emgirs", "Empresa Pública Metropolitana de Gestión Integral de Residuos Sólidos (EMGIRS EP)",
     ("residuos", "ambiente")),
    ("cuerpo-de-bomberos-de-quito", "Cuerpo de Bomberos del Distrito Metropolitano de Quito", ("riesgos",)),
    ("secretaria-de-inclusion-social", "Secretaría de Inclusión Social", ("social",)),
    ("secretaria-de-desarrollo-productivo-y-competitividad", "Secretaría de Desarrollo Productivo y Competitividad",
     ("economia", "turismo")),
    ("secretaria-general-de-coordinacion-territorial-y-participacion-ciudadana",
     "Secretaría General de Coordinación Territorial y Participación Ciudadana",
     ("participacion",)),
    ("direccion-metropolitana-de-catastro", "Dirección Metropolitana de Catastro", ("territorio", "presupuesto")),
    ("direccion-metropolitana-de-gestion-de-riesgos", "Dirección Metropolitana de Gestión de Riesgos", ("riesgos",)),
    ("conquito", "Agencia de Promoción Económica ConQuito", ("economia",)),
    ("unidad-patronato-municipal-san-jose", "Unidad Patronato Municipal San José", ("social", "salud")),
    ("procuraduria-metropolitana", "Procuraduría Metropolitana", ("transparencia",)),
    ("secretaria-de-comunicacion", "Secretaría de Comunicación", ("participacion", "cultura")),
    ("empresa-publica-metropolitana-de-habitat-y-vivienda", "Empresa Pública Metropolitana de Hábitat y Vivienda",
     ("territorio", "social")),
    ("empresa-publica-metropolitana-de-servicios-aeroportuarios",
     "Empresa Pública Metropolitana de Servicios Aeroportuarios",
     ("turismo", "transporte")),
    ("empresa-publica-metropolitana-de-rastro", "Empresa Pública Metropolitana de Rastro Quito", ("salud", "economia")),
    ("administracion-zonal-eugenio-espejo", "Administración Zonal Eugenio Espejo",
     ("territorio", "participacion", "seguridad")),
    ("administracion-zonal-manuela-saenz", "Administración Zonal Manuela Sáenz",
     ("territorio", "participacion", "cultura")),
    ("administracion-zonal-eloy-alfaro", "Administración Zonal Eloy Alfaro",
     ("territorio", "participacion", "seguridad")),
    ("administracion-zonal-la-delicia", "Administración Zonal La Delicia", ("territorio", "participacion", "economia")),
    ("administracion-zonal-calderon", "Administración Zonal Calderón", ("territorio", "participacion", "social")),
    ("administracion-zonal-quitumbe", "Administración Zonal Quitumbe", ("territorio", "participacion", "seguridad")),
    ("administracion-zonal-tumbaco", "Administración Zonal Tumbaco", ("territorio", "participacion", "turismo")),
    ("administracion-zonal-los-chillos", "Administración Zonal Los Chillos",
     ("territorio", "participacion", "ambiente")),
    ("administracion-zonal-aeropuerto", "Administración Zonal Aeropuerto", ("territorio", "participacion", "turismo")),
)

ZONAS = ("Eugenio Espejo", "Manuela Sáenz", "Eloy Alfaro", "La Delicia", "Calderón",
         "Quitumbe", "Tumbaco", "Los Chillos", "Aeropuerto")

#: The 32 urban and 33 rural parroquias of the DMQ.
PARROQUIAS = (
    "Belisario Quevedo", "Carcelén", "Centro Histórico", "Chilibulo", "Chillogallo",
    "Chimbacalle", "Cochapamba", "Comité del Pueblo", "Concepción", "Cotocollao",
    "El Condado", "El Inca", "Guamaní", "Iñaquito", "Itchimbía", "Jipijapa", "Kennedy",
    "La Argelia", "La Ecuatoriana", "La Ferroviaria", "La Libertad", "La Magdalena",
    "La Mena", "Mariscal Sucre", "Ponceano", "Puengasí", "Quitumbe", "Rumipamba",
    "San Bartolo", "San Isidro del Inca", "San Juan", "Solanda", "Turubamba",
    "Alangasí", "Amaguaña", "Atahualpa", "Calacalí", "Calderón", "Chavezpamba", "Checa",
    "Conocoto", "Cumbayá", "El Quinche", "Gualea", "Guangopolo", "Guayllabamba",
    "La Merced", "Llano Chico", "Lloa", "Nanegal", "Nanegalito", "Nayón", "Nono",
    "Pacto", "Perucho", "Pifo", "Píntag", "Pomasqui", "Puéllaro", "Puembo",
    "San Antonio de Pichincha", "San José de Minas", "Tababela", "Tumbaco", "Yaruquí",
    "Zámbiza",
)

MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")
TRIMESTRES = ("primer", "segundo", "tercer", "cuarto")
ETAPAS = ("codificado", "devengado", "ejecutado", "aprobado", "reformado", "prorrogado", "proforma")
FRECUENCIAS = ("mensual", "trimestral", "semestral", "anual", "semanal", "diaria", "eventual")
SISTEMAS = ("el Trolebús", "la Ecovía", "el Metro de Quito", "el Corredor Sur Oriental",
            "el Corredor Sur Occidental", "el Corredor Central Norte", "la red BiciQuito")
CONTAMINANTES = ("PM2.5", "PM10", "ozono", "dióxido de nitrógeno", "monóxido de carbono",
                 "dióxido de azufre")
ESTACIONES = ("Belisario", "Carapungo", "Centro", "Cotocollao", "El Camal", "Guamaní",
              "Los Chillos", "Tumbaco", "San Antonio")
AVENIDAS = ("10 de Agosto", "6 de Diciembre", "Simón Bolívar", "Mariscal Sucre", "Amazonas",
            "Pedro Vicente Maldonado", "Eloy Alfaro", "De los Shyris", "Naciones Unidas",
            "Interoceánica", "General Rumiñahui", "América")

#: LOTAIP (art. 7) literals and what each one publishes.
LITERALES = (
    ("a1", "Estructura orgánica funcional"), ("a2", "Base legal que rige a la institución"),
    ("a3", "Regulaciones y procedimientos internos"), ("a4", "Metas y objetivos de las unidades administrativas"),
    ("b1", "Directorio completo de la institución"), ("b2", "Distributivo de personal"),
    ("c", "Remuneración mensual por puesto"), ("d", "Servicios que ofrece y formas de acceder a ellos"),
    ("e", "Contratos colectivos vigentes"), ("f1", "Formularios o formatos de solicitudes"),
    ("f2", "Formato para solicitudes de acceso a la información pública"), ("g", "Presupuesto de la institución"),
    ("h", "Resultados de auditorías internas y gubernamentales"), ("i", "Procesos de contratación pública"),
    ("j", "Empresas y personas que han incumplido contratos"), ("k", "Planes y programas en ejecución"),
    ("l", "Contratos de crédito externos o internos"), ("m", "Mecanismos de rendición de cuentas a la ciudadanía"),
    ("n", "Viáticos, informes de trabajo y justificativos"), ("o", "Responsable de atender la información pública"),
    ("s", "Resoluciones y actas del Concejo Metropolitano"),
)

#: Themes ({tema}) per category, lowercase so they read well mid-sentence.
THEMES = {
    "movilidad": ("siniestros de tránsito", "flujo vehicular", "infracciones de tránsito",
                  "revisión técnica vehicular", "restricción vehicular Pico y Placa", "estacionamientos de Zona Azul",
                  "ciclovías", "matriculación vehicular", "velocidad promedio en vías principales"),
    "transporte": ("demanda de pasajeros del transporte público", "rutas de buses urbanos",
                   "paradas de transporte público", "tarifas de transporte público", "flota de transporte municipal",
                   "kilómetros recorridos por la flota", "afluencia de usuarios del Metro de Quito",
                   "validaciones en el Trolebús y la Ecovía"),
    "ambiente": ("calidad del aire", "material particulado", "ruido ambiental", "arbolado urbano", "áreas verdes",
                 "huella de carbono", "incendios forestales", "precipitación", "temperatura media",
                 "áreas protegidas"),
    "residuos": ("recolección de residuos sólidos", "disposición final en el relleno sanitario", "reciclaje",
                 "puntos limpios", "contenedores de basura", "barrido de calles", "escombreras"),
    "agua": ("cobertura de agua potable", "consumo de agua potable", "calidad del agua", "alcantarillado",
             "agua no contabilizada", "tarifas de agua potable", "plantas de tratamiento", "quebradas"),
    "seguridad": ("delitos denunciados", "llamadas de emergencia al ECU 911", "homicidios", "robos a personas",
                  "percepción de inseguridad", "violencia intrafamiliar", "cámaras de videovigilancia",
                  "operativos de control"),
    "riesgos": ("emergencias atendidas por los bomberos", "zonas de riesgo por deslizamientos", "amenaza volcánica",
                "eventos sísmicos", "albergues temporales", "inundaciones"),
    "salud": ("atenciones en unidades metropolitanas de salud", "vacunación", "desnutrición crónica infantil",
              "embarazo adolescente", "control sanitario de alimentos", "mortalidad general", "salud mental",
              "fauna urbana"),
    "educacion": ("matrícula escolar", "unidades educativas municipales", "deserción escolar", "becas estudiantiles",
                  "puntos de conectividad gratuita", "bibliotecas municipales", "escenarios deportivos",
                  "ligas barriales"),
    "presupuesto": ("ejecución presupuestaria", "ingresos tributarios", "gasto de inversión",
                    "recaudación del impuesto predial", "deuda pública", "transferencias del Gobierno Central",
                    "contratación pública", "presupuestos participativos"),
    "territorio": ("uso y ocupación del suelo", "catastro predial", "licencias metropolitanas urbanísticas",
                   "barrios regularizados", "asentamientos humanos de hecho", "densidad poblacional",
                   "equipamientos urbanos", "nomenclatura vial", "obras públicas"),
    "turismo": ("llegada de turistas", "ocupación hotelera", "establecimientos turísticos", "atractivos turísticos",
                "eventos y ferias", "pasajeros del aeropuerto Mariscal Sucre", "gasto turístico"),
    "cultura": ("agenda cultural", "museos municipales", "bienes patrimoniales", "Fiestas de Quito",
                "patrimonio edificado", "espacios culturales"),
    "participacion": ("asambleas barriales", "cabildos ciudadanos", "silla vacía", "rendición de cuentas",
                      "consultas ciudadanas", "organizaciones sociales", "mingas comunitarias"),
    "transparencia": ("remuneraciones", "viáticos", "contratos adjudicados",
                      "solicitudes de acceso a la información pública", "auditorías", "ordenanzas metropolitanas",
                      "resoluciones de Alcaldía"),
    "social": ("personas en situación de calle", "atención a adultos mayores", "personas con discapacidad",
               "centros de desarrollo infantil", "violencia de género", "movilidad humana", "trabajo infantil"),
    "economia": ("emprendimientos", "mercados municipales", "ferias artesanales", "comercio autónomo",
                 "patentes municipales", "empleo y desempleo", "precios de la canasta básica"),
}

#: Tags per category; with GENERAL_TAGS they make the whole tag vocabulary.
CATEGORY_TAGS = {
    "movilidad": ("movilidad", "tránsito", "siniestros viales", "vías", "ciclovías", "seguridad vial", "pico y placa",
                  "estacionamientos", "peatones"),
    "transporte": ("transporte público", "trolebús", "ecovía", "metro de quito", "buses", "pasajeros", "rutas",
                   "paradas", "bicicletas"),
    "ambiente": ("ambiente", "calidad del aire", "contaminación", "ruido", "áreas verdes", "cambio climático",
                 "biodiversidad", "arbolado", "clima"),
    "residuos": ("residuos sólidos", "basura", "reciclaje", "recolección", "relleno sanitario", "limpieza",
                 "economía circular"),
    "agua": ("agua potable", "alcantarillado", "saneamiento", "consumo de agua", "cuencas hídricas", "quebradas",
             "calidad del agua"),
    "seguridad": ("seguridad", "seguridad ciudadana", "delitos", "violencia", "ecu-911", "policía metropolitana",
                  "videovigilancia", "convivencia"),
    "riesgos": ("gestión de riesgos", "bomberos", "emergencias", "deslizamientos", "volcanes", "sismos",
                "incendios forestales"),
    "salud": ("salud", "salud pública", "vacunación", "nutrición", "centros de salud", "salud mental", "fauna urbana",
              "control sanitario"),
    "educacion": ("educación", "unidades educativas", "matrícula", "becas", "deporte", "bibliotecas", "conectividad",
                  "jóvenes"),
    "presupuesto": ("presupuesto", "finanzas públicas", "ingresos", "gastos", "impuestos", "impuesto predial",
                    "contratación pública", "inversión"),
    "territorio": ("territorio", "catastro", "uso de suelo", "ordenamiento territorial", "barrios", "vivienda",
                   "cartografía", "límites", "urbanismo"),
    "turismo": ("turismo", "hoteles", "visitantes", "atractivos turísticos", "aeropuerto", "gastronomía"),
    "cultura": ("cultura", "patrimonio", "centro histórico", "museos", "fiestas de quito", "arte", "agenda cultural"),
    "participacion": ("participación ciudadana", "asambleas", "rendición de cuentas", "cabildos",
                      "organizaciones sociales", "presupuestos participativos", "mingas"),
    "transparencia": ("transparencia", "lotaip", "remuneraciones", "contratos", "acceso a la información",
                      "auditoría", "normativa", "ordenanzas"),
    "social": ("inclusión social", "adultos mayores", "discapacidad", "niñez", "género", "movilidad humana",
               "pobreza", "grupos de atención prioritaria"),
    "economia": ("economía", "emprendimiento", "mercados", "empleo", "comercio", "productividad", "precios"),
}
GENERAL_TAGS = (
    "quito", "dmq", "municipio", "datos abiertos", "gobierno abierto", "estadísticas", "indicadores",
    "series de tiempo", "geografía", "mapas", "georreferenciación", "parroquias", "administraciones zonales",
    "parroquias rurales", "zona urbana", "censo", "población", "encuestas", "registros administrativos",
    "informes", "planificación", "pmdot", "ods", "infraestructura", "obras públicas", "servicios municipales",
    "ciudadanía", "datos geoespaciales", "información pública", "desarrollo sostenible",
)

#: Title templates usable with any category.
GENERIC_TITLES = (
    "Indicador de {tema} por parroquia {año}", "Capa de {tema}: {parroquia}",
    "{Tema} en el Distrito Metropolitano de Quito {año}", "{Tema} por parroquia, {año}",
    "{Tema} - {mes} {año}", "Estadísticas de {tema} {año_ini}-{año_fin}", "Registro de {tema} en {parroquia}",
    "Serie histórica de {tema} ({año_ini}-{año_fin})", "{Tema} en la administración zonal {zona}, {año}",
    "Informe mensual de {tema} - {mes} {año}", "Mapa de {tema} en la parroquia {parroquia}",
    "Base de datos de {tema} {año}", "Reporte de {tema}, {trimestre} trimestre {año}",
    "Línea base de {tema} en {parroquia}", "Catálogo de {tema} - {dependencia}", "Encuesta sobre {tema} {año}",
    "{Tema} por administración zonal {año}", "Evolución de {tema} en Quito, {año_ini}-{año_fin}",
    "Georreferenciación de {tema} ({parroquia})", "Resumen anual de {tema} {año}",
    "Datos abiertos de {tema} - administración zonal {zona}", "{Tema} según sexo y grupo de edad, {año}",
    "Indicadores de {tema} del Plan Metropolitano de Desarrollo {año}", "Consolidado de {tema} - {dependencia} {año}",
    "Inventario de {tema} en {parroquia}, {año}", "Monitoreo de {tema} - semana {semana} de {año}",
    "{Tema} en los barrios de {parroquia}", "Proyección de {tema} {año_ini}-{año_fin}",
)

#: Title templates tied to one category (they also pin the dataset's category).
CATEGORY_TITLES = {
    "presupuesto": ("Presupuesto {etapa} {año} - {dependencia}",
                    "Cédula presupuestaria de gastos {año} - {dependencia}",
                    "Cédula presupuestaria de ingresos, {mes} {año}",
                    "Ejecución presupuestaria por programa, {trimestre} trimestre {año}",
                    "Presupuesto participativo {año}: {parroquia}",
                    "Plan Anual de Contratación {año} - {dependencia}"),
    "transparencia": ("Literal {literal} - {mes} {año}", "LOTAIP {año}: literal {literal} ({literal_desc})",
                      "Transparencia activa: {literal_desc} - {mes} {año}",
                      "{literal_desc} - {dependencia}, {mes} {año}"),
    "transporte": ("Pasajeros transportados por {sistema} - {mes} {año}", "Paradas y estaciones de {sistema}",
                   "Frecuencias y horarios de {sistema} {año}", "Validaciones de tarjeta en {sistema}, {mes} {año}",
                   "Recorridos de {sistema} por parroquia"),
    "ambiente": ("Concentración de {contaminante} en la estación {estacion}, {año}",
                 "Índice Quiteño de Calidad del Aire - {mes} {año}"),
    "agua": ("Consumo de agua potable facturado en {parroquia}, {año}",
             "Cortes programados de agua potable - {mes} {año}"),
    "residuos": ("Frecuencias de recolección de basura en {parroquia}",
                 "Toneladas de residuos recolectadas - {mes} {año}"),
    "territorio": ("Plan de Uso y Gestión del Suelo: {parroquia}", "Límites parroquiales del DMQ {año}",
                   "Valoración catastral {año_ini}-{año_fin}: {parroquia}"),
    "seguridad": ("Delitos de mayor connotación social en {parroquia}, {año}",
                  "Llamadas de emergencia al ECU 911 - {mes} {año}"),
    "salud": ("Campaña de vacunación {año}: {parroquia}",),
    "educacion": ("Matrícula en unidades educativas municipales, período {año_ini}-{año_sig}",),
    "turismo": ("Llegada de visitantes a Quito por nacionalidad - {mes} {año}",
                "Establecimientos de alojamiento en {parroquia}"),
    "participacion": ("Asambleas barriales en {parroquia}, {año}", "Rendición de cuentas {año} - {dependencia}"),
    "cultura": ("Agenda cultural de las Fiestas de Quito {año}", "Inventario de bienes patrimoniales de {parroquia}"),
    "movilidad": ("Siniestros de tránsito en {parroquia}, {mes} {año}",
                  "Conteos vehiculares en la avenida {avenida}, {año}"),
    "social": ("Beneficiarios de programas de inclusión social en {parroquia}, {año}",),
    "economia": ("Puestos en mercados municipales de {parroquia}", "Emprendimientos apoyados por ConQuito {año}"),
    "riesgos": ("Emergencias atendidas por el Cuerpo de Bomberos - {mes} {año}",
                "Susceptibilidad a movimientos en masa: {parroquia}"),
}

#: First sentence of every description.
INTRO_SENTENCES = (
    "Este conjunto de datos contiene información sobre {tema} en el Distrito Metropolitano de Quito.",
    "Registro de {tema} levantado en la parroquia {parroquia} durante {año}.",
    "Información de {tema} publicada por {dependencia}.",
    "Datos de {tema} para la administración zonal {zona}, período {cobertura}.",
)
#: Further sentences, 0-3 of them per description.
EXTRA_SENTENCES = (
    "Los datos cubren el período {cobertura} y se actualizan con frecuencia {frecuencia}.",
    "La información proviene de registros administrativos de {dependencia}.",
    "Incluye el desglose por parroquias urbanas y rurales, con énfasis en {parroquia}.",
    "Se publica en cumplimiento de la Ley Orgánica de Transparencia y Acceso a la Información Pública (LOTAIP).",
    "Las cifras son referenciales y pueden ser revisadas en publicaciones posteriores.",
    "Para su uso se recomienda consultar el diccionario de datos adjunto.",
    "La georreferenciación utiliza el sistema de coordenadas WGS 84 (EPSG:4326).",
    "Los valores monetarios están expresados en dólares de los Estados Unidos de América.",
    "El conjunto forma parte del Plan Metropolitano de Desarrollo y Ordenamiento Territorial.",
    "Los registros con información personal fueron anonimizados conforme a la Ley Orgánica de Protección de "
    "Datos Personales.",
    "Permite analizar la evolución de {tema} y apoyar la toma de decisiones de política pública.",
    "Los datos de {mes} de {año} incluyen correcciones de períodos anteriores.",
)

FORMATS = ("CSV", "XLSX", "JSON", "GeoJSON", "SHP", "PDF", "KML", "ZIP")
FORMAT_WEIGHTS = (40, 20, 8, 7, 5, 12, 3, 5)
#: File extension per format (shapefiles travel zipped).
EXTENSIONS = {"CSV": "csv", "XLSX": "xlsx", "JSON": "json", "GeoJSON": "geojson", "SHP": "zip",
              "PDF": "pdf", "KML": "kml", "ZIP": "zip"}
#: Resource names per format.
RESOURCE_NAMES = {
    "CSV": ("Datos de {tema} {año}", "Tabla de {tema}", "Registros {año_ini}-{año_fin}"),
    "XLSX": ("Hoja de cálculo de {tema} {año}", "Cuadros estadísticos {año}"),
    "JSON": ("Datos de {tema} en JSON", "Servicio de datos {año}"),
    "GeoJSON": ("Capa geográfica de {tema}", "Polígonos por parroquia"),
    "SHP": ("Shapefile de {tema}", "Cartografía de {parroquia}"),
    "PDF": ("Diccionario de datos", "Ficha metodológica", "Informe técnico {año}"),
    "KML": ("Mapa de {tema} para Google Earth",),
    "ZIP": ("Descarga completa {año_ini}-{año_fin}", "Archivos históricos de {tema}"),
}

RESOURCE_DESCRIPTIONS = (
    "Archivo {formato} con los datos de {tema}, período {cobertura}.",
    "Descarga en formato {formato} publicada por {dependencia}.",
    "Versión {formato} del conjunto; actualización {frecuencia}.",
    "Datos de {tema} en {formato}, con desglose por parroquia.",
)

LICENSES = ("cc-by", "cc-by-sa", "odc-odbl", "cc-zero", "other-open")
LICENSE_WEIGHTS = (50, 15, 10, 15, 10)
