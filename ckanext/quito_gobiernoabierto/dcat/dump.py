"""The whole public catalogue as one RDF document, written batch by batch.

``ckan quito dcat dump`` walks the catalogue through ``package_search`` as an
anonymous visitor (so private datasets and drafts never come out, exactly as
on ``/catalog.*``), ``batch`` datasets at a time in name order, with keyset
paging (``name:{"<last name>" TO *]``: a dataset created or deleted during
the dump does not shift the pages). Each batch becomes an RDF graph through
ckanext-dcat's ``RDFSerializer`` with the configured profiles (the same
triples as a catalogue page, ``dcat:dataset`` links included), is written and
dropped: memory stays flat whatever the size of the catalogue.

The document starts with the ``dcat:Catalog`` description (once); each batch
adds its datasets. How the batches become one document, by format:

- ``nt`` (N-Triples): one line per triple, batches simply follow each other;
- ``ttl`` (Turtle): the prefixes once at the top, then each batch's
  statements (``turtle.Writer``; blank-node labels unique across batches);
- ``jsonld``: one ``{"@context": ..., "@graph": [...]}`` object whose
  ``@graph`` receives the node objects of every batch (compacted with one
  shared context; a node described in two batches, such as a publisher,
  appears twice and JSON-LD merges it);
- ``xml`` (RDF/XML): one ``rdf:RDF`` element; each batch is serialised by
  rdflib and its top-level descriptions are copied in, each carrying the
  namespace declarations it needs.

Blank-node identifiers are unique in the whole document, and a triple
repeated in two batches (a publisher, a vocabulary concept) means the same
thing twice: parsing the dump gives exactly the union of the batch graphs.
"""
from __future__ import annotations

import gc
import json
import time
from typing import Callable, Iterator, Optional, TextIO

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import DCAT

from . import turtle

FORMATS = ("ttl", "nt", "jsonld", "xml")
DEFAULT_BATCH = 100
#: Batches between two full garbage collections (each costs ~0.1 s).
COLLECT_EVERY = 10
#: The dataset types ckanext-dcat's catalogue endpoint leaves out.
EXCLUDED_TYPES = ("harvest", "showcase")


def search_batches(batch: int = DEFAULT_BATCH) -> Iterator[tuple[int, list[dict]]]:
    """(total public datasets, datasets) per page, in name order."""
    search = tk.get_action("package_search")
    last = None
    while True:
        fq_list = [f"-dataset_type:{name}" for name in EXCLUDED_TYPES]
        if last is not None:
            fq_list.append('name:{"%s" TO *]' % last.replace("\\", "\\\\").replace('"', '\\"'))
        # An anonymous context: CKAN filters on the "public" permission label.
        result = search({"user": ""}, {"q": "*:*", "fq_list": fq_list, "sort": "name asc", "rows": batch,
                                       "include_private": False, "include_drafts": False})
        datasets = result["results"]
        if not datasets:
            return
        yield result["count"], datasets
        last = datasets[-1]["name"]


def catalog_graph(profiles: Optional[list[str]]):
    """A serializer holding the catalogue description only, and its catalogue URI."""
    serializer = RDFSerializer(profiles=profiles)
    return serializer, serializer.graph_from_catalog({})


def batch_graph(profiles: Optional[list[str]], datasets: list[dict]):
    """The graph of one batch: its datasets, linked from the catalogue (the
    catalogue's own description is written once, before the batches)."""
    serializer, catalog_ref = catalog_graph(profiles)
    graph = serializer.g
    before = set(graph)
    for dataset in datasets:
        ref = serializer.graph_from_dataset(dataset)
        graph.add((catalog_ref, DCAT.dataset, ref))
    for triple in before:
        graph.remove(triple)
    return graph


class NTriples:
    """Batches of N-Triples, one after the other."""

    def __init__(self, out: TextIO):
        self.out = out

    def start(self, header, first) -> None:
        self.write(header)

    def write(self, graph) -> None:
        self.out.write(graph.serialize(format="nt"))

    def end(self) -> None:
        pass


class Turtle(NTriples):
    """Prefixes once, then the statements of each batch."""

    def start(self, header, first) -> None:
        self.writer = turtle.Writer(list(header.namespaces()) + list(first.namespaces()))
        self.out.write(self.writer.prefixes() + "\n")
        self.write(header)

    def write(self, graph) -> None:
        self.out.write(self.writer.body(graph))


class JsonLD(NTriples):
    """One JSON-LD object whose ``@graph`` collects the nodes of every batch."""

    def start(self, header, first) -> None:
        self.context = {prefix: str(ns) for prefix, ns in list(header.namespaces()) + list(first.namespaces())
                        if prefix}
        self.out.write('{"@context": ' + json.dumps(self.context, ensure_ascii=False) + ',\n"@graph": [\n')
        self.first = True
        self.write(header)

    def write(self, graph) -> None:
        document = json.loads(graph.serialize(format="json-ld", context=self.context, auto_compact=True))
        nodes = document.get("@graph", [document]) if isinstance(document, dict) else document
        for node in nodes:
            node.pop("@context", None)
            if node:
                self.out.write(("" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
                self.first = False

    def end(self) -> None:
        self.out.write("\n]}\n")


class RdfXml(NTriples):
    """One ``rdf:RDF`` element with the descriptions of every batch."""

    def start(self, header, first) -> None:
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n'
                       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n')
        self.write(header)

    def write(self, graph) -> None:
        from lxml import etree

        root = etree.fromstring(graph.serialize(format="xml", encoding="utf-8"))
        for element in root:
            self.out.write(etree.tostring(element, encoding="unicode").strip() + "\n")

    def end(self) -> None:
        self.out.write("</rdf:RDF>\n")


WRITERS = {"nt": NTriples, "ttl": Turtle, "jsonld": JsonLD, "xml": RdfXml}


def dump(out: TextIO, _format: str = "ttl", profiles: Optional[list[str]] = None, batch: int = DEFAULT_BATCH,
         progress: Optional[Callable[[int, int], None]] = None) -> dict:
    """Write the public catalogue to ``out``; what was written, and how fast."""
    if _format not in WRITERS:
        raise ValueError(f"unknown format {_format!r}: one of {', '.join(FORMATS)}")
    started = time.monotonic()
    header = catalog_graph(profiles)[0].g
    writer, written, total, batches = WRITERS[_format](out), 0, 0, 0
    for count, datasets in search_batches(batch):
        graph = batch_graph(profiles, datasets)
        if batches == 0:
            total = count
            writer.start(header, graph)
        writer.write(graph)
        del graph
        written, batches = written + len(datasets), batches + 1
        if batches % COLLECT_EVERY == 0:
            gc.collect()  # rdflib graphs hold reference cycles: free them now, not at Python's pace
        if progress:
            progress(written, total)
    if batches == 0:
        writer.start(header, header)
    writer.end()
    seconds = time.monotonic() - started
    return {"datasets": written, "public_at_start": total, "batches": batches, "format": _format,
            "seconds": round(seconds, 2), "per_second": round(written / seconds, 1) if seconds else None}

