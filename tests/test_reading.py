"""The reading step (magazine.reading): BibTeX as exporters write it, printed in APA 7.

Each case is an entry in the shape an exporter gives it (Google Scholar's "Cite → BibTeX",
Zotero, Mendeley, doi.org's content negotiation, DBLP, Wikipedia's "Cite this page"), with
the reference our style prints from it and, where the reading cannot put the entry right,
the warning at its field's line with the fix."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT
from pybtex.database import Entry, Person

from magazine.citations.bibcheck import check_bib_text
from magazine.bibstyle.cli import reference_list
from magazine.bibstyle.settings import ApaSettings
from magazine.reading import clean_doi, iso_date, read_entry, title_case

APA = ApaSettings("alphabetical", "in-text", True)


def printed(bib: str) -> tuple[str, list[str]]:
    """The one reference of ``bib`` and the messages about it (``line: message``)."""
    entries, warnings = reference_list(textwrap.dedent(bib), APA, "text", "x.bib")
    assert len(entries) == 1, entries
    return entries[0], [w.removeprefix("x.bib:") for w in warnings]


# -- what the reading puts right -------------------------------------------------------------

PUT_RIGHT = {
    "Google Scholar: lower-case journal, others, abbreviated pages": (
        """
        @article{bandura1977self,
          title={Self-efficacy: toward a unifying theory of behavioral change.},
          author={Bandura, Albert},
          journal={Psychological review},
          volume={84},
          number={2},
          pages={191--215},
          year={1977},
          publisher={American Psychological Association}
        }
        """,
        "Bandura, A. (1977). Self-efficacy: Toward a unifying theory of behavioral change. "
        "Psychological Review, 84(2), 191–215.",
    ),
    "a PubMed note and pages written short": (
        """
        @article{smith2010,
          author = {Smith, John and Doe, Jane},
          title = {A randomised trial},
          journal = {The Lancet},
          volume = {376},
          pages = {353--66},
          year = {2010},
          note = {PMID: 20596038},
        }
        """,
        "Smith, J., & Doe, J. (2010). A randomised trial. The Lancet, 376, 353–366.",
    ),
    "Zotero: DOI as a link and a Publisher note": (
        """
        @article{brito_da_silva_survey_2019,
          title = {A survey of adaptive resonance theory neural network models for engineering applications},
          volume = {120},
          doi = {https://doi.org/10.1016/j.neunet.2019.09.012},
          journal = {Neural Networks},
          author = {Brito da Silva, Leonardo Enzo and Elnabarawy, Islam and Wunsch, Donald C.},
          year = {2019},
          note = {Publisher: Elsevier},
          pages = {167--203},
        }
        """,
        "Brito da Silva, L. E., Elnabarawy, I., & Wunsch, D. C. (2019). A survey of adaptive "
        "resonance theory neural network models for engineering applications. Neural Networks, "
        "120, 167–203. https://doi.org/10.1016/j.neunet.2019.09.012",
    ),
    "doi.org: a url repeating the DOI, month on a journal article": (
        """
        @article{Doe_2021,
          title={Coral reefs under heat},
          volume={12},
          ISSN={2041-1723},
          url={http://dx.doi.org/10.1038/s41467-021-00001-1},
          DOI={10.1038/s41467-021-00001-1},
          number={1},
          journal={Nature Communications},
          publisher={Springer Science and Business Media LLC},
          author={Doe, Jane and Roe, Richard},
          year={2021},
          month=jan }
        """,
        "Doe, J., & Roe, R. (2021). Coral reefs under heat. Nature Communications, 12(1). "
        "https://doi.org/10.1038/s41467-021-00001-1",
    ),
    "braced name parts": (
        """
        @inproceedings{mckinney2010data,
          title={Data structures for statistical computing in {P}ython},
          author={{W}es {M}c{K}inney},
          booktitle={Proceedings of the 9th {P}ython in {S}cience {C}onference},
          pages={51--56},
          year={2010},
          month={June},
        }
        """,
        "McKinney, W. (2010). Data structures for statistical computing in Python. Proceedings "
        "of the 9th Python in Science Conference, 51–56.",
    ),
    "an accent that lost its backslash (copies of the NumPy paper's entry)": (
        r"""
        @article{numpy,
          author = {Haldane, Allan and Fern{\'{a}}ndez del R{'{\i}}o, Jaime and Wiebe, Mark},
          title = {Array programming with {NumPy}},
          journal = {Nature},
          year = {2020},
          volume = {585},
          pages = {357--362}
        }
        """,
        "Haldane, A., Fernández del Río, J., & Wiebe, M. (2020). Array programming with NumPy. "
        "Nature, 585, 357–362.",
    ),
    "a dotless i under an accent, with and without braces (JabRef, Google Scholar)": (
        r"""
        @book{rio2019,
          author = {R\'{\i}os, Mar{\'\i}a and Na{\"{\i}}m, Ahmed},
          title = {Na\"{\i}ve models of an{\'{\i}}sotropy},
          publisher = {Springer},
          year = {2019}
        }
        """,
        "Ríos, M., & Naïm, A. (2019). Naïve models of anísotropy. Springer.",
    ),
    "IEEE template: the link and the access date in howpublished, a company as author": (
        r"""
        @misc{kn:Statista01,
          author = "Oxford Economics",
          title = "World industry outlook",
          howpublished = "Available in \url{http://www.example.org/outlook}. Last accessed in March 2018",
        }
        """,
        "Oxford Economics. (n.d.). World industry outlook. Retrieved March 2018, from "
        "http://www.example.org/outlook",
    ),
    "IEEEtran's [Online]. Available: ... [Accessed: ...] with a bare address": (
        r"""
        @misc{ietf2019,
          author = {{Internet Engineering Task Force}},
          title = {Transport protocols},
          howpublished = {[Online]. Available: https://example.org/tp. [Accessed: 3-Mar-2019]},
        }
        """,
        "Internet Engineering Task Force. (n.d.). Transport protocols. Retrieved March 3, "
        "2019, from https://example.org/tp",
    ),
    "groups written without braces: a joining word, a group's first or last word": (
        r"""
        @misc{groups2022,
          author = {Office for Research Integrity and National Heritage Board and IoT Weekly Magazine},
          title = {Guidance on records},
          year = {2022},
        }
        """,
        "Office for Research Integrity, National Heritage Board, & IoT Weekly Magazine. "
        "(2022). Guidance on records.",
    ),
    "Crossref's escaped ampersand and Mendeley's escaped escape": (
        r"""
        @inproceedings{k2016,
          author = {Kim, Dae},
          booktitle = {Proc. 20th ACM Conf. Comput. Work $\backslash${\&} Soc. Comput.},
          title = {{Crowd work at scale : lessons from a campus}},
          pages = {10--20},
          year = {2016}
        }
        """,
        "Kim, D. (2016). Crowd work at scale: Lessons from a campus. Proc. 20th ACM Conf. "
        "Comput. Work & Soc. Comput., 10–20.",
    ),
    "an HTML entity escaped twice in a journal's name (Crossref)": (
        """
        @article{w2019,
          author = {West, Ann},
          title = {Data and markets},
          journal = {Business &amp;amp; Society},
          volume = {58}, number = {1}, pages = {20--41}, year = {2019}
        }
        """,
        "West, A. (2019). Data and markets. Business & Society, 58(1), 20–41.",
    ),
    "a talk on YouTube filed as @misc": (
        """
        @misc{talk2019,
          author = {Rivera, Ana},
          title = {Tutorial: Models of vision in the brain},
          howpublished = {YouTube},
          url = {https://www.youtube.com/watch?v=abcdefghijk},
          year = {2019}, month = {may}, day = {14}
        }
        """,
        "Rivera, A. (2019, May 14). Tutorial: Models of vision in the brain [Video]. YouTube. "
        "https://www.youtube.com/watch?v=abcdefghijk",
    ),
    "edition written as an ordinal": (
        """
        @book{knuth1997,
          author = {Knuth, Donald E.},
          title = {The Art of Computer Programming},
          edition = {3rd},
          publisher = {Addison-Wesley},
          year = {1997},
          address = {Reading, MA},
        }
        """,
        "Knuth, D. E. (1997). The art of computer programming (3rd ed.). Addison-Wesley.",
    ),
    "edition written out": (
        """
        @book{kernighan1988,
          author = {Kernighan, Brian W. and Ritchie, Dennis M.},
          title = {The {C} Programming Language},
          edition = {Second},
          publisher = {Prentice Hall},
          year = {1988},
        }
        """,
        "Kernighan, B. W., & Ritchie, D. M. (1988). The C programming language (2nd ed.). "
        "Prentice Hall.",
    ),
    "Wikipedia: howpublished url and an access note": (
        """
        @misc{wiki:plagiarism,
          author = "{Wikipedia contributors}",
          title = "Plagiarism",
          year = "2004",
          howpublished = "\\url{https://en.wikipedia.org/w/index.php?title=Plagiarism&oldid=5139350}",
          note = "[Online; accessed 22-July-2004]"
        }
        """,
        "Wikipedia contributors. (2004). Plagiarism. "
        "https://en.wikipedia.org/w/index.php?title=Plagiarism&oldid=5139350",
    ),
    "Google Scholar arXiv preprint": (
        """
        @article{vaswani2017attention,
          title={Attention is all you need},
          author={Vaswani, Ashish and Shazeer, Noam},
          journal={arXiv preprint arXiv:1706.03762},
          year={2017}
        }
        """,
        "Vaswani, A., & Shazeer, N. (2017). Attention is all you need (arXiv:1706.03762). "
        "arXiv. https://doi.org/10.48550/arXiv.1706.03762",
    ),
    "arXiv's own export": (
        """
        @misc{he2015deep,
          title={Deep Residual Learning for Image Recognition},
          author={Kaiming He and Xiangyu Zhang},
          year={2015},
          eprint={1512.03385},
          archivePrefix={arXiv},
          primaryClass={cs.CV},
          url={https://arxiv.org/abs/1512.03385},
        }
        """,
        "He, K., & Zhang, X. (2015). Deep residual learning for image recognition "
        "(arXiv:1512.03385). arXiv. https://doi.org/10.48550/arXiv.1512.03385",
    ),
    "DBLP CoRR": (
        """
        @article{DBLP:journals/corr/KingmaB14,
          author    = {Diederik P. Kingma and Jimmy Ba},
          title     = {Adam: {A} Method for Stochastic Optimization},
          journal   = {CoRR},
          volume    = {abs/1412.6980},
          year      = {2014},
        }
        """,
        "Kingma, D. P., & Ba, J. (2014). Adam: A method for stochastic optimization "
        "(arXiv:1412.6980). arXiv. https://doi.org/10.48550/arXiv.1412.6980",
    ),
    "a published article keeps its journal despite its arXiv id": (
        """
        @article{lecun2015,
          author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
          title = {Deep learning},
          journal = {Nature},
          volume = {521},
          pages = {436--444},
          year = {2015},
          eprint = {1234.56789},
          archivePrefix = {arXiv},
        }
        """,
        "LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521, 436–444.",
    ),
    "LaTeX quotes and a font switch in a title": (
        """
        @article{ng2019,
          author = {Ng, Andrew},
          title = {Why \\textquotedblleft big data\\textquotedblright{} is not {\\em enough}},
          journal = {Communications of the ACM},
          year = {2019},
        }
        """,
        "Ng, A. (2019). Why “big data” is not enough. Communications of the ACM.",
    ),
    "thesis type as written by exporters": (
        """
        @phdthesis{tan2018,
          author = {Tan, Mei},
          title = {Stem cells in the injured spinal cord},
          school = {University of Toronto},
          type = {PhD thesis},
          year = {2018},
          url = {https://hdl.handle.net/1807/00000},
        }
        """,
        "Tan, M. (2018). Stem cells in the injured spinal cord [Doctoral dissertation, "
        "University of Toronto]. https://hdl.handle.net/1807/00000",
    ),
    "initials run together, a braced surname": (
        """
        @article{castilla-rho2015,
          title = {An Agent-Based Platform for Simulating Complex Human{\\textendash}Aquifer Interactions},
          author = {{Castilla-Rho}, J.C. and Kelly, B.F.J.},
          year = {2015},
          month = nov,
          journal = {Environmental Modelling \\& Software},
          volume = {73},
          pages = {305--323},
        }
        """,
        "Castilla-Rho, J. C., & Kelly, B. F. J. (2015). An agent-based platform for simulating "
        "complex human–aquifer interactions. Environmental Modelling & Software, 73, 305–323.",
    ),
    "a @conference paper with its proceedings in journal": (
        """
        @conference{Auerbach2004ISMRM,
          author         = {Auerbach, E. J. and Ugurbil, K.},
          journal        = {Proc. Intl. Soc. Mag. Reson. Med.},
          title          = {Improvement in diffusion {MRI} at {3T}},
          year           = 2004
        }
        """,
        "Auerbach, E. J., & Ugurbil, K. (2004). Improvement in diffusion MRI at 3T. "
        "Proc. Intl. Soc. Mag. Reson. Med.",
    ),
    "BibTeX @inbook: the book in title, the chapter in chapter": (
        """
        @inbook{KJS86,
          author = {R. Katti and R. T. Jacobsen},
          chapter = {Thermodynamic Properties of Neon for Temperatures from the Triple Point to 700 {K}},
          editor = {Fast, R. W.},
          publisher = {Springer},
          title = {Advances in Cryogenic Engineering},
          volume = {31},
          year = {1986}}
        """,
        "Katti, R., & Jacobsen, R. T. (1986). Thermodynamic properties of neon for temperatures "
        "from the triple point to 700 K. In R. W. Fast (Ed.), Advances in cryogenic engineering "
        "(Vol. 31). Springer.",
    ),
    "an unpublished manuscript": (
        """
        @unpublished{Masterson2019,
        author = {Masterson, Michael},
        pages = {1--24},
        title = {Understanding heterogeneous treatment effects},
        year = {2019}
        }
        """,
        "Masterson, M. (2019). Understanding heterogeneous treatment effects [Unpublished "
        "manuscript].",
    ),
    "an escaped underscore in braces in a URL": (
        """
        @misc{Abernathy2015,
          author = {Abernathy, Scott},
          title = {Legislative correspondence},
          year = {2015},
          url = {https://www.vanderbilt.edu/csdi/AbernathyDissertation{\\_}Formatted.pdf},
        }
        """,
        "Abernathy, S. (2015). Legislative correspondence. "
        "https://www.vanderbilt.edu/csdi/AbernathyDissertation_Formatted.pdf",
    ),
    "BibDesk: a film's director in a director field": (
        """
        @movie{Marka.S:2011movie,
        	date-added = {2021-09-16 13:56:16 +0200},
        	director = {Sebastiaan Marka},
        	location = {DE},
        	title = {Interview},
        	year = {2011}}
        """,
        "Marka, S. (Director). (2011). Interview [Film].",
    ),
    "biblatex: editortype director": (
        """
        @video{coen1996,
          editor = {Coen, Joel and Coen, Ethan},
          editortype = {director},
          title = {Fargo},
          publisher = {Gramercy Pictures},
          year = {1996},
          entrysubtype = {film},
        }
        """,
        "Coen, J., & Coen, E. (Directors). (1996). Fargo [Film]. Gramercy Pictures.",
    ),
    "a podcast host": (
        """
        @audio{vedantam2015,
          editor = {Vedantam, Shankar},
          editortype = {host},
          title = {Hidden brain},
          publisher = {NPR},
          year = {2015},
          url = {https://www.npr.org/series/423302056/hidden-brain},
        }
        """,
        "Vedantam, S. (Host). (2015). Hidden brain [Audio recording]. NPR. "
        "https://www.npr.org/series/423302056/hidden-brain",
    ),
    "Zotero: each capitalised word of a title-case title braced": (
        """
        @inproceedings{holdgraf_evidence_2014,
        	address = {Brisbane, Australia},
        	title = {Evidence for {Predictive} {Coding} in {Human} {Auditory} {Cortex}},
        	booktitle = {International {Conference} on {Cognitive} {Neuroscience}},
        	author = {Holdgraf, Christopher Ramsay and de Heer, Wendy},
        	year = {2014}
        }
        """,
        "Holdgraf, C. R., & Heer, W. de. (2014). Evidence for predictive coding in human "
        "auditory cortex. International Conference on Cognitive Neuroscience.",
    ),
    "a particle after the given names, a first edition": (
        """
        @book{walt2011,
          author = {Walt, Stéfan van der},
          title = {Array computing},
          edition = {1st},
          publisher = {Chapman and Hall/CRC},
          year = {2011},
        }
        """,
        "Walt, S. van der. (2011). Array computing. Chapman and Hall/CRC.",
    ),
    "a month in the issue field": (
        """
        @article{holdgraf_rapid_2016,
          title = {Rapid tuning shifts},
          volume = {7},
          number = {May},
          journal = {Nature Communications},
          author = {Holdgraf, Christopher R.},
          year = {2016},
          pages = {13654},
        }
        """,
        "Holdgraf, C. R. (2016). Rapid tuning shifts. Nature Communications, 7, 13654.",
    ),
    "Better BibTeX: runs of capitalised words in double braces": (
        """
        @book{watkins2020,
          title = {A {{Step-by-Step Guide}} to {{Exploratory Factor Analysis}} with {{R}} and {{RStudio}}},
          author = {Watkins, Marley},
          year = 2020,
          edition = {1},
          publisher = {Routledge},
        }
        """,
        "Watkins, M. (2020). A step-by-step guide to exploratory factor analysis with R and "
        "RStudio. Routledge.",
    ),
    "Mendeley: a sentence-case title braced whole keeps its names": (
        """
        @article{Subramanian2005,
        author = {Subramanian, Aravind},
        journal = {Proceedings of the National Academy of Sciences},
        title = {{Gene set enrichment analysis in Escherichia coli: a knowledge-based approach}},
        volume = {102},
        year = {2005}
        }
        """,
        "Subramanian, A. (2005). Gene set enrichment analysis in Escherichia coli: A "
        "knowledge-based approach. Proceedings of the National Academy of Sciences, 102.",
    ),
    "proceedings without editors, lowered by Google Scholar": (
        """
        @inproceedings{ghiya1996tree,
          title={Is it a tree, a DAG, or a cyclic graph?},
          author={Ghiya, Rakesh and Hendren, Laurie J},
          booktitle={Proceedings of the 23rd ACM SIGPLAN-SIGACT symposium on principles of programming languages},
          pages={1--15},
          year={1996}
        }
        """,
        "Ghiya, R., & Hendren, L. J. (1996). Is it a tree, a DAG, or a cyclic graph? "
        "Proceedings of the 23rd ACM SIGPLAN-SIGACT Symposium on Principles of Programming "
        "Languages, 1–15.",
    ),
    "a manual on arXiv": (
        """
        @manual{sciutto1999aires,
            author = {Sciutto, S.J.},
            title = {AIRES: A system for air shower simulations},
            year = {1999},
            eprint = {astro-ph/9911331},
            archivePrefix = {arXiv},
        }
        """,
        "Sciutto, S. J. (1999). AIRES: A system for air shower simulations. "
        "https://arxiv.org/abs/astro-ph/9911331",
    ),
    "an album": (
        """
        @AUDIO{bowie2016,
          ENTRYSUBTYPE   = {album},
          AUTHOR         = {D. Bowie},
          TITLE          = {Blackstar},
          PUBLISHER      = {Columbia},
          DATE           = {2016}
        }
        """,
        "Bowie, D. (2016). Blackstar [Album]. Columbia.",
    ),
    "a group written without braces, and a group with its article after a comma": (
        """
        @software{reback2020pandas,
            author       = {The pandas development team and {ATLAS Collaboration}, {The}},
            title        = {Pandas},
            year         = 2020,
            version      = {1.0.3},
            publisher    = {Zenodo},
        }
        """,
        "The pandas development team, & The ATLAS Collaboration. (2020). Pandas (Version "
        "1.0.3) [Computer software]. Zenodo.",
    ),
    "Better BibTeX: one word and a run in double braces": (
        """
        @inproceedings{grafarend_metric_2003,
          title = {A {{Metric}} for {{Covariance Matrices}}},
          author = {Förstner, Wolfgang},
          year = {2003},
          booktitle = {Geodesy},
        }
        """,
        "Förstner, W. (2003). A metric for covariance matrices. Geodesy.",
    ),
    "chemistry in TeX math, a page range with a letter, an eprint with its prefix": (
        """
        @article{BW23corr,
          author = {Boulliung, J. and Wood, B.~J.},
          title = {Corrigendum to {SO$_2$} solubility at 1200$^\\circ$C},
          journal = {Geochimica et Cosmochimica Acta},
          year = 2023,
          volume = {285},
          pages = {H999--1006},
        }
        """,
        "Boulliung, J., & Wood, B. J. (2023). Corrigendum to SO2 solubility at 1200°C. "
        "Geochimica et Cosmochimica Acta, 285, H999–H1006.",
    ),
    "a report whose type names the BibTeX type": (
        """
        @techreport{MZG02,
          author = {McBride, B. J.},
          title = {Coefficients for calculating thermodynamic properties},
          institution = {NASA},
          type = {techreport},
          number = {NASA/TP-2002-211556},
          year = {2002},
        }
        """,
        "McBride, B. J. (2002). Coefficients for calculating thermodynamic properties "
        "(Technical Report No. NASA/TP-2002-211556). NASA.",
    ),
    "Mendeley: a thesis from a database, behind a library's login link": (
        """
        @thesis{Roberts2006,
           author = {Elaine Morris Roberts},
           journal = {ProQuest Dissertations and Theses},
           publisher = {University of Cincinnati},
           title = {Whose Books Get Published?},
           type = {phdthesis},
           url = {http://ezproxy.library.arizona.edu/login?url=https://search-proquest-com/docview/2054345002},
           year = {2006},
        }
        """,
        "Roberts, E. M. (2006). Whose books get published? [Doctoral dissertation, University "
        "of Cincinnati]. ProQuest Dissertations and Theses.",
    ),
    "a manuscript under review, a stray comma after a name": (
        """
        @unpublished{edmonds2020,
          title={Data mining a design repository},
          author={Edmonds, Katherine and Stone, Robert B, and DuPont, Bryony},
          journal={Ninth International Conference on Design Computing and Cognition},
          year={2020},
          note = {Under Review}
        }
        """,
        "Edmonds, K., Stone, R. B., & DuPont, B. (2020). Data mining a design repository "
        "[Manuscript submitted for publication].",
    ),
    "a manuscript online, a site's address in journal": (
        """
        @unpublished{seo2006,
          author = {Seo, Songwon},
          title = {A review of methods for detecting outliers},
          year = {2006},
          url = {http://d-scholarship.pitt.edu/7948/},
        }
        """,
        "Seo, S. (2006). A review of methods for detecting outliers. "
        "http://d-scholarship.pitt.edu/7948/",
    ),
    "a page cited by its own address, not its site's": (
        """
        @online{chicago2018,
          author = {{Chicago Manual of Style Online}},
          title = {Author-Date: Sample Citations},
          year = {2018},
          url = {https://www.chicagomanualofstyle.org},
          howpublished = {\\url{https://www.chicagomanualofstyle.org/tools_citationguide/citation-guide-2.html}},
        }
        """,
        "Chicago Manual of Style Online. (2018). Author-date: Sample citations. "
        "https://www.chicagomanualofstyle.org/tools_citationguide/citation-guide-2.html",
    ),
    "a book's title braced word by word, a title's own full stop": (
        """
        @incollection{pintado2005,
          title = {Depth-based classification for functional data.},
          booktitle = {Data {{Depth}}: {{Robust Multivariate Analysis}} and {{Applications}}},
          author = {Pintado, Sara and Romo, Juan},
          editor = {Liu, Regina},
          pages = {103--119},
          publisher = {American Mathematical Society},
          year = {2005},
        }
        """,
        "Pintado, S., & Romo, J. (2005). Depth-based classification for functional data. In "
        "R. Liu (Ed.), Data depth: Robust multivariate analysis and applications (pp. "
        "103–119). American Mathematical Society.",
    ),
    "a @misc whose site is in journal": (
        """
        @misc{wiki2021stem,
          author = {{Wikipedia contributors}},
          title = {Stem cell},
          journal = {Wikipedia},
          year = {2021},
          url = {https://en.wikipedia.org/w/index.php?title=Stem_cell&oldid=1000000000},
        }
        """,
        "Wikipedia contributors. (2021). Stem cell. Wikipedia. "
        "https://en.wikipedia.org/w/index.php?title=Stem_cell&oldid=1000000000",
    ),
    "biblatex-apa: a special issue": (
        """
        @PERIODICAL{mcdaniel2018,
          EDITOR         = {S. H. McDaniel and E. Salas and A. E. Kazak},
          TITLE          = {The Science of Teamwork},
          ISSUETITLE     = {Special issue},
          JOURNALTITLE   = {American Psychologist},
          VOLUME         = {73},
          NUMBER         = {4},
          DATE           = {2018}
        }
        """,
        "McDaniel, S. H., Salas, E., & Kazak, A. E. (Eds.). (2018). The science of teamwork "
        "[Special issue]. American Psychologist, 73(4).",
    ),
    "an album with who recorded it": (
        """
        @AUDIO{bach2010,
          ENTRYSUBTYPE   = {Album recorded by Academy of St~Martin in the Fields},
          AUTHOR         = {J. S. Bach},
          TITLE          = {The {Brandenburg} Concertos},
          PUBLISHER      = {Decca},
          DATE           = {2010},
        }
        """,
        "Bach, J. S. (2010). The Brandenburg concertos [Album recorded by Academy of St Martin "
        "in the Fields]. Decca.",
    ),
    "a product's name braced whole is a name, kept as written": (
        """
        @software{ibm2020ibm,
          author  = {{IBM Corp.}},
          title   = {{IBM SPSS Statistics for Windows}},
          version = {27.0},
          year    = {2020},
        }
        """,
        "IBM Corp. (2020). IBM SPSS Statistics for Windows (Version 27.0) [Computer software].",
    ),
    "an issue number written as a range": (
        """
        @article{smith2020issue,
          author={Smith, Jo}, title={Issue range}, journal={Journal of Things},
          volume={12}, number={3-4}, pages={101--120}, year={2020}}
        """,
        "Smith, J. (2020). Issue range. Journal of Things, 12(3–4), 101–120.",
    ),
    "a @misc for software on GitHub, with its version": (
        """
        @misc{doxygen,
        author = {{van Heesch}, D.},
          title = {Doxygen},
          year = {2021},
          version = {1.9.1},
          publisher = {GitHub},
          journal = {GitHub repository},
          url = {https://github.com/doxygen/doxygen}
        }
        """,
        "van Heesch, D. (2021). Doxygen (Version 1.9.1). GitHub. https://github.com/doxygen/doxygen",
    ),
    "a report's number in series": (
        """
        @report{GSA2019,
        author = {GSA},
        year = 2019,
        publisher = {U.S. General Services Administration},
        title = {Increasing transparency and public participation},
        series = {GSA-2019-02}
        }
        """,
        "GSA. (2019). Increasing transparency and public participation (GSA-2019-02). U.S. "
        "General Services Administration.",
    ),
    "biblatex-apa: a username on the platform": (
        """
        @VIDEO{fogarty2016,
          ENTRYSUBTYPE       = {video},
          AUTHOR             = {M. Fogarty},
          AUTHOR+an:username = {1="Grammar Girl"},
          TITLE              = {How to Diagram a Sentence (Absolute Basics)},
          PUBLISHER          = {YouTube},
          DATE               = {2016-09-30},
          URL                = {https://youtube.be/deiEY5Yq1ql}
        }
        """,
        "Fogarty, M. [Grammar Girl]. (2016, September 30). How to diagram a sentence "
        "(absolute basics) [Video]. YouTube. https://youtube.be/deiEY5Yq1ql",
    ),
}


def test_an_entry_missing_what_its_type_needs_still_prints_author_date_and_title() -> None:
    text, messages = printed("""
        @Inreference{Algar1985,
        Title = {Encyclopedia Iranica},
        Author = {Algar, Hamid},
        Date = {1985},
        Pages = {172-4},
        Volume = {4}
        }
        """)
    assert text.startswith("Algar, H. (1985). Encyclopedia iranica")
    assert any("booktitle" in m for m in messages), messages


@pytest.mark.parametrize("name", sorted(PUT_RIGHT))
def test_the_reading_puts_exported_entries_right(name: str) -> None:
    bib, expected = PUT_RIGHT[name]
    text, _ = printed(bib)
    assert text == expected


def test_and_others_prints_et_al_without_an_ampersand_and_is_reported() -> None:
    text, messages = printed("""
        @article{wilkinson2016fair,
          title={The {FAIR} Guiding Principles for scientific data management and stewardship},
          author={Wilkinson, Mark D and Dumontier, Michel and Aalbersberg, IJsbrand Jan and others},
          journal={Scientific Data},
          volume={3},
          year={2016},
        }
        """)
    assert text.startswith("Wilkinson, M. D., Dumontier, M., Aalbersberg, I. J., et al. (2016).")
    assert messages == ["4: warning: the author list ends with 'and others', so the reference "
                        "cannot name everyone: APA lists up to 20 authors (and the first 19 and "
                        "the last of more); give them all"]


# -- what it reports, at the field's line, with the fix --------------------------------------

REPORTED = {
    "a journal name in lower case": (
        "@article{a, author={A, B}, title={T}, year={2020},\n journal={Journal of health and social behavior}}",
        2, "write it as 'Journal of Health and Social Behavior'"),
    "a title wrapped whole in braces": (
        "@article{a, author={A, B}, year={2020}, journal={J},\n title={{A Title In Title Case}}}",
        2, "brace only its proper nouns and acronyms"),
    "every capitalised word braced": (
        "@article{a, author={A, B}, year={2020}, journal={J},\n title={Evidence for {Predictive} {Coding} in {Human} {Cortex}}}",
        2, "every capitalised word of the title is in braces"),
    "a stray backslash (it crashed the sorting before)": (
        "@book{a, author={A, B}, year={2020}, publisher={P},\n title={Costs \\3 of work}}",
        2, "holds a backslash that starts no LaTeX command"),
    "a director field that is no list of names": (
        "@video{a, title={T}, year={2020},\n director={Rh:9z,Hqw6=F,,HTnag8,}}",
        2, "the director field cannot be read as names"),
    "a library's login link": (
        "@online{a, author={A, B}, title={T}, year={2020},\n url={https://x.org/login?url=https://y.org/1}}",
        2, "is a library's login link"),
    "a note it cannot place": (
        "@book{a, author={A, B}, title={T}, year={2020}, publisher={P},\n note={My favourite book}}",
        2, "the note 'My favourite book' is not printed"),
    "LaTeX no decoder knows": (
        "@book{a, author={A, B}, year={2020}, publisher={P},\n title={The \\frobnicate effect}}",
        2, "the LaTeX command \\frobnicate in 'title' cannot be turned into text"),
    "and others": (
        "@article{a, title={T}, year={2020}, journal={J},\n author={A, B and others}}",
        2, "give them all"),
    "a missing field the type needs": (
        "@article{a, author={A, B}, year={2020},\n title={T}}",
        1, "journaltitle"),
}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_what_cannot_be_put_right_is_reported_at_its_line(name: str) -> None:
    bib, line, fix = REPORTED[name]
    report = check_bib_text(bib)
    located = [p for p in report.problems if fix in p.message]
    assert located and located[0].line == line, report.problems


def test_notes_that_are_understood_are_used_not_reported() -> None:
    for note, field, value in [
        ("Accessed: 2021-05-19", "urldate", "2021-05-19"),
        ("[Online; accessed 8. Jun. 2020]", "urldate", "2020-06-08"),
        ("Last accessed on June 8, 2020", "urldate", "2020-06-08"),
        ("Number: 7 Publisher: Nature Publishing Group", "publisher", "Nature Publishing Group"),
        ("Publisher: Elsevier\nPlace: Amsterdam", "location", "Amsterdam"),
        ("PMID: 20596038", "pmid", "20596038"),
        ("ISBN: 978-0-262-03384-8", "isbn", "978-0-262-03384-8"),
        ("(accessed on 2018-08-10)", "urldate", "2018-08-10"),
        ("R package version 1.6.1", "version", "1.6.1"),
        ("DOI: 10.3886/ICPSR05404 (accessed February 8, 2011).", "urldate", "2011-02-08"),
        ("DOI: 10.3886/ICPSR05404 (accessed February 8, 2011).", "doi", "10.3886/ICPSR05404"),
    ]:
        reading = read_entry(Entry("online", fields={"title": "T", "note": note,
                                                     "url": "https://x.org"}))
        assert reading.problems == (), note
        assert reading.entry.fields[field] == value, note
        assert "note" not in reading.entry.fields


def test_the_reading_does_not_change_what_it_has_read() -> None:
    for bib, _ in PUT_RIGHT.values():
        data = check_bib_text(textwrap.dedent(bib)).data
        for entry in data.entries.values():
            again = read_entry(entry).entry
            assert dict(again.fields) == dict(entry.fields)
            assert {r: [str(p) for p in ps] for r, ps in again.persons.items()} == \
                {r: [str(p) for p in ps] for r, ps in entry.persons.items()}


@pytest.mark.parametrize(("written", "doi"), [
    ("https://doi.org/10.1000/x.y", "10.1000/x.y"), ("http://dx.doi.org/10.1000/x", "10.1000/x"),
    ("doi:10.1000/x", "10.1000/x"), ("DOI 10.1000/x", "10.1000/x"),
    ("\\url{https://doi.org/10.1000/a\\_b}", "10.1000/a_b"), ("10.1000%2Fx", "10.1000/x"),
])
def test_dois_are_read_however_written(written: str, doi: str) -> None:
    assert clean_doi(written) == doi


@pytest.mark.parametrize(("written", "iso"), [
    ("2021-05-19", "2021-05-19"), ("8-June-2020", "2020-06-08"), ("8. Jun. 2020", "2020-06-08"),
    ("June 8, 2020", "2020-06-08"), ("19.05.2021", "2021-05-19"), ("yesterday", ""),
    ("June 2020", "2020-06"), ("October 2017", "2017-10"),
])
def test_access_dates_are_read_however_written(written: str, iso: str) -> None:
    assert iso_date(written) == iso


@pytest.mark.parametrize(("title", "language"), [
    ("Die Entwicklung des Hamburger Hafens und der Elbe", "ngerman"),
    ("Les réseaux de neurones pour la vision", "french"),
    ("Modelos de lluvia para las cuencas del norte", "spanish"),
    ("Why cells die: The role of the mitochondria", ""),  # "die" with English words
    ("Le Chatelier's principle", ""),  # one word is no evidence
])
def test_a_title_in_another_language_is_marked_and_keeps_its_capitals(
        title: str, language: str) -> None:
    reading = read_entry(Entry("book", fields={"title": title, "year": "2020"}))
    assert reading.entry.fields.get("langid", "") == language
    if language:
        text, _ = printed(f"@book{{x, title = {{{title}}}, year = 2020}}")
        assert title in text


def test_a_site_named_in_journal_is_not_a_periodical() -> None:
    for kind, name in (("misc", "GitHub repository"), ("article", "http://hippasus.com")):
        reading = read_entry(Entry(kind, fields={"title": "T", "journal": name}))
        assert reading.problems == () and reading.entry.fields["journaltitle"] == name


def test_latex_commands_with_arguments_are_reported_not_decoded_blindly() -> None:
    reading = read_entry(Entry("book", fields={"title": "The $\\sqrt{2}$ and \\href{x}{y}"}))
    assert [p.message.split(" in ")[0] for p in reading.problems] == \
        ["the LaTeX command \\sqrt"]


def test_periodical_names_take_apa_title_case() -> None:
    assert title_case("journal of health and social behavior") == \
        "Journal of Health and Social Behavior"
    assert title_case("nature reviews: drug discovery") == "Nature Reviews: Drug Discovery"


def test_names_pybtex_splits_wrongly_are_put_right() -> None:
    for written, surname, given in [
        ("{W}es {M}c{K}inney", ["{M}c{K}inney"], ["{W}es"]),
        ("Brito da Silva, Leonardo Enzo", ["Brito", "da", "Silva"], ["Leonardo"]),
    ]:
        entry = Entry("article", persons={"author": [Person(written)]})
        person = read_entry(entry).entry.persons["author"][0]
        assert person.last_names == surname and person.first_names == given
    kept = read_entry(Entry("article", persons={"author": [Person("van der Waals, J. D.")]}))
    assert kept.entry.persons["author"][0].prelast_names == ["van", "der"]


def test_make_references_exits_non_zero_on_errors(tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "bad.bib").write_text("@article{a, author={A, B}, year={2020}, title={T}}\n")
    (tmp_path / "good.bib").write_text(
        "@book{a, author={A, B}, year={2020}, title={T}, publisher={P}}\n")
    for name, code in (("bad.bib", 1), ("good.bib", 0)):
        result = subprocess.run(
            [sys.executable, "-m", "magazine.bibstyle.cli", str(tmp_path / name)],
            capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT / "_ext")},
        )
        assert result.returncode == code, result.stderr


# -- the whole build reads the entries as read -------------------------------------------------

PASTED = """
@article{bandura1977self,
  title={Self-efficacy: toward a unifying theory of behavioral change.},
  author={Bandura, Albert},
  journal={Psychological review},
  volume={84},
  number={2},
  pages={191--215},
  year={1977},
  doi={https://doi.org/10.1037/0033-295X.84.2.191},
  note={PMID: 847061},
}

@book{flanagan2008ruby,
  title={The Ruby Programming Language},
  author={Flanagan, David and Matsumoto, Yukihiro},
  year={2008},
  publisher={O'Reilly Media}
}
"""


def test_a_title_case_title_is_previewed_as_printed_in_a_note_not_a_failure(tmp_path) -> None:  # noqa: ANN001
    """`make references` shows how a title-case title is printed and which words it lowers,
    at the title's line, as a note: the exit status stays 0 and `make check` is silent."""
    from conftest import copy_project

    from magazine.gate.check import Project, quick_findings

    bib = tmp_path / "new.bib"
    bib.write_text(PASTED, encoding="utf-8")
    line = PASTED.splitlines().index("  title={The Ruby Programming Language},") + 1
    result = subprocess.run(
        [sys.executable, "-m", "magazine.bibstyle.cli", str(bib)], capture_output=True,
        text=True, check=False, env={"PYTHONPATH": str(ROOT / "_ext")})
    assert result.returncode == 0, result.stderr
    assert f"new.bib:{line}: note: the title is in title case and is printed in sentence " \
        "case, as 'The ruby programming language' (lowered: Ruby, Programming, Language); " \
        "brace any of these words that is a name, as in '{Ruby}', to keep its capital" \
        in result.stderr, result.stderr
    assert "The ruby programming language. O’Reilly Media." in result.stdout
    src = copy_project(tmp_path / "src")
    with (src / "references.bib").open("a", encoding="utf-8") as file:
        file.write(PASTED)
    findings = [str(f) for f in quick_findings(Project.read(src), with_build_checks=True)]
    assert findings and not [f for f in findings if "sentence case" in f], findings


def test_pages_and_metadata_print_the_entry_as_read(tmp_path) -> None:  # noqa: ANN001
    from bs4 import BeautifulSoup
    from conftest import ARTICLE, build, copy_project

    src = copy_project(tmp_path / "src")
    bib = src / "references.bib"
    before = bib.read_text(encoding="utf-8")
    bib.write_text(before + PASTED, encoding="utf-8")
    line = (before + PASTED).splitlines().index("  journal={Psychological review},") + 1
    article = src / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nBelief in one's abilities matters {cite:p}`bandura1977self`.\n"
                       + "\nLanguages matter too {cite:p}`flanagan2008ruby`.\n",
                       encoding="utf-8")
    result = build(src)
    # the one thing the reading cannot decide for the contributor is reported at its line
    # (the title-case title's preview is a note for `make references`, not a build warning)
    assert f"references.bib:{line}: WARNING: the periodical's name 'Psychological review'" \
        in result.stderr, result.stderr
    assert result.stderr.count("WARNING") == 1, result.stderr
    page = BeautifulSoup((result.outdir / f"{ARTICLE}.html").read_text(encoding="utf-8"),
                         "html.parser")
    entry = page.select_one("#ref-bandura1977self").get_text(" ", strip=True)
    assert "Psychological Review, 84(2), 191–215." in entry.replace(" ,", ",").replace(
        " (", "(").replace("( ", "(").replace(" )", ")")
    assert entry.count("https://doi.org/10.1037/0033-295X.84.2.191") == 1
    assert "PMID" not in entry
    references = [m["content"] for m in page.select('meta[name="citation_reference"]')]
    assert any("citation_journal_title=Psychological Review" in r and
               "citation_doi=10.1037/0033-295X.84.2.191" in r for r in references), references


@pytest.mark.parametrize(("written", "cased"), [
    ("Improvement in diffusion MRI at 3T and beyond", "Improvement in diffusion MRI at 3T and beyond"),
    ("From 200° to 600°C at 700 K", "From 200° to 600°C at 700 K"),
    ("Critics Hear E.P.A.’s Voice", "Critics hear E.P.A.’s voice"),
    ("Data From U.S. Federal Services", "Data from U.S. federal services"),
    ("POLITICAL PARTIES AND DEMOCRACY", "Political parties and democracy"),
    ("Mapping H3K4me3 in CD4+ T Cells", "Mapping H3K4me3 in CD4+ T cells"),
    ("A Shape Analysis for Pointers in C", "A shape analysis for pointers in C"),
    ("Proceedings of the Xth Conference", "Proceedings of the Xth conference"),
    ("Mwaskom/seaborn: v0.8.1 (September 2017)", "Mwaskom/seaborn: v0.8.1 (September 2017)"),
    ("pandas-dev/pandas: Pandas", "Pandas-dev/pandas: Pandas"),
    ("{alexandrebarachant/pyRiemann}", "alexandrebarachant/pyRiemann"),
    ("{ATLAS} {HL}-{LHC} {C}omputing {C}onceptual {D}esign {R}eport",
     "ATLAS HL-LHC computing conceptual design report"),
    # written in sentence case already: a capital inside marks a name and stays
    ("An open-source Python interface for Chemspeed robots",
     "An open-source Python interface for Chemspeed robots"),
    ("An Open-Source Python Interface for Chemspeed Robots",
     "An open-source python interface for chemspeed robots"),
])
def test_sentence_case_keeps_symbols_units_and_abbreviations(written: str, cased: str) -> None:
    from magazine.bibstyle.titles import latex_text, sentence_case
    title = read_entry(Entry("book", fields={"title": written})).entry.fields["title"]
    assert str(sentence_case(latex_text(title))) == cased


def test_random_fields_never_crash_the_list() -> None:
    """Fields of random characters, LaTeX's specials among them, in every entry type: the
    list is always printed (what cannot be read is reported, never raised)."""
    import random
    import string

    rng = random.Random(2)
    names = ["title", "journal", "booktitle", "note", "howpublished", "url", "doi", "pages",
             "edition", "number", "type", "eprint", "archivePrefix", "editortype", "director",
             "series", "publisher", "school", "version", "month", "year", "langid", "author"]
    characters = string.ascii_letters + string.digits + " \\$_^:;,.-/&%#~'\"()[]@="
    for index in range(300):
        body = ",\n".join(
            f"  {rng.choice(names)} = {{{''.join(rng.choice(characters) for _ in range(rng.randint(0, 25)))}}}"
            for _ in range(7))
        kind = rng.choice(["article", "misc", "book", "inproceedings", "thesis", "video",
                           "unpublished", "periodical", "report"])
        entries, _ = reference_list(f"@{kind}{{k{index},\n{body}\n}}\n", APA)
        assert len(entries) <= 1


def test_a_build_with_unreadable_latex_reports_it_and_finishes(tmp_path) -> None:  # noqa: ANN001
    """A stray backslash before the closing brace once stopped the build with a traceback
    (the sorting, then the Cite box, decoded it); now it is reported at its line."""
    from conftest import ARTICLE, build, copy_project

    src = copy_project(tmp_path / "src")
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@book{stray2020costs, author={Doe, Jane}, year={2020}, publisher={P},\n"
                  "  title={Costs of care\\}}\n")
    article = src / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nCosts matter {cite:p}`stray2020costs`.\n", encoding="utf-8")
    result = build(src)
    assert result.returncode == 1
    assert "references.bib:" in result.stderr and "Traceback" not in result.stderr
    assert (result.outdir / f"{ARTICLE}.html").is_file()


def test_a_name_field_pybtex_cannot_read_is_reported_inside_a_capture_too() -> None:
    """Inside the build's capture pybtex reports a bad name instead of raising it."""
    import pybtex.errors

    with pybtex.errors.capture():
        reading = read_entry(Entry("video", fields={"title": "T", "director": "A,B,,C,"}))
    assert [p.field for p in reading.problems] == ["director"]
