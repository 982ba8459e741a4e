/* Downloads of linked resources are counted by the portal's download route
 * (/dataset/<id>/resource/<resource id>/download), which redirects to the
 * link: the "Download" / "Go to resource" links are sent through it when
 * clicked. Without JavaScript (most robots) the link is followed directly
 * and nothing is counted. (ckanext-odassessment, issue 8) */
ckan.module("odassessment-download-count", function ($) {
  "use strict";
  return {
    options: {dataset: null, resource: null},
    initialize: function () {
      var dataset = this.options.dataset;
      var pageResource = this.options.resource;
      this.el.on("click", "a.resource-url-analytics", function () {
        var item = this.closest("[data-id]");
        var resource = item ? item.getAttribute("data-id") : pageResource;
        if (!dataset || !resource || this.href.indexOf("/resource/" + resource + "/download") !== -1) {
          return;
        }
        this.href = ckan.url("/dataset/" + encodeURIComponent(dataset) + "/resource/" +
                             encodeURIComponent(resource) + "/download");
      });
    }
  };
});
