-- a site's own store filter: CT only
function ReceivedCStoreInstanceFilter(dicom, origin, info)
  if dicom.Modality == "CT" then
    return 0
  end
  return 0xA700
end
